using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace DataHub.Catalog.Tests.Lineage.Schema;

/// <summary>
/// A small JSON Schema (draft 2020-12) validator covering exactly the keywords the OpenLineage schema files use.
/// Every schema is checked when loaded: a keyword outside <see cref="Assertions"/> and <see cref="Annotations"/>
/// (or a format outside uri, date-time, uuid) throws, so nothing the schemas require can pass unchecked.
/// <c>format</c> is asserted, not merely annotated.
/// </summary>
internal sealed partial class JsonSchemaSet
{
    /// <summary>Keywords that constrain an instance.</summary>
    public static readonly IReadOnlySet<string> Assertions = new HashSet<string>(StringComparer.Ordinal)
    {
        "$ref", "type", "properties", "required", "additionalProperties", "allOf", "anyOf", "oneOf", "not", "enum", "const",
        "items", "format", "pattern", "minimum",
    };

    /// <summary>Keywords that say something about the schema but constrain nothing.</summary>
    public static readonly IReadOnlySet<string> Annotations = new HashSet<string>(StringComparer.Ordinal)
    {
        "$schema", "$id", "$defs", "description", "example", "deprecated",
    };

    private static readonly string[] Formats = ["uri", "date-time", "uuid"];

    private static readonly string[] Types = ["object", "array", "string", "boolean", "null", "number", "integer"];

    private readonly Dictionary<string, JsonElement> _documents = new(StringComparer.Ordinal);

    /// <summary>The documents by their <c>$id</c>.</summary>
    public IReadOnlyDictionary<string, JsonElement> Documents => _documents;

    /// <summary>Loads every <c>*.json</c> under a folder; each must carry an absolute <c>$id</c>.</summary>
    public static JsonSchemaSet LoadDirectory(string directory)
    {
        var set = new JsonSchemaSet();
        foreach (var file in Directory.EnumerateFiles(directory, "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            set.Add(JsonDocument.Parse(File.ReadAllText(file)).RootElement.Clone(), file);
        }

        return set;
    }

    /// <summary>Adds one schema document (checked for unsupported keywords first).</summary>
    public void Add(JsonElement document, string origin)
    {
        CheckKeywords(document, origin);
        var id = document.TryGetProperty("$id", out var value) ? value.GetString() : null;
        if (id is null || !Uri.TryCreate(id, UriKind.Absolute, out _))
        {
            throw new NotSupportedException($"{origin}: a schema document needs an absolute $id.");
        }

        _documents.Add(id, document);
    }

    /// <summary>Validates an instance against the schema at an absolute URI (with an optional JSON Pointer fragment).</summary>
    /// <returns>One message per violation, each starting with the instance path; empty when valid.</returns>
    public IReadOnlyList<string> Validate(JsonElement instance, string schemaUri)
    {
        var (schema, baseUri) = Resolve(new Uri(schemaUri, UriKind.Absolute));
        var errors = new List<string>();
        Validate(schema, baseUri, instance, "$", errors);
        return errors;
    }

    private void Validate(JsonElement schema, Uri baseUri, JsonElement instance, string path, List<string> errors)
    {
        if (schema.ValueKind == JsonValueKind.True)
        {
            return;
        }

        if (schema.ValueKind == JsonValueKind.False)
        {
            errors.Add($"{path}: no value is allowed here");
            return;
        }

        foreach (var keyword in schema.EnumerateObject())
        {
            var value = keyword.Value;
            switch (keyword.Name)
            {
                case "$ref":
                    var (target, targetBase) = Resolve(new Uri(baseUri, value.GetString()));
                    Validate(target, targetBase, instance, path, errors);
                    break;
                case "type":
                    var types = value.ValueKind == JsonValueKind.Array ? value.EnumerateArray().Select(t => t.GetString()!).ToList() : [value.GetString()!];
                    if (!types.Any(t => HasType(instance, t)))
                    {
                        errors.Add($"{path}: expected {string.Join(" or ", types)}, found {instance.ValueKind}");
                    }

                    break;
                case "properties":
                    if (instance.ValueKind == JsonValueKind.Object)
                    {
                        foreach (var property in value.EnumerateObject())
                        {
                            if (instance.TryGetProperty(property.Name, out var member))
                            {
                                Validate(property.Value, baseUri, member, $"{path}.{property.Name}", errors);
                            }
                        }
                    }

                    break;
                case "required":
                    if (instance.ValueKind == JsonValueKind.Object)
                    {
                        foreach (var name in value.EnumerateArray().Select(r => r.GetString()!))
                        {
                            if (!instance.TryGetProperty(name, out _))
                            {
                                errors.Add($"{path}: required property '{name}' is missing");
                            }
                        }
                    }

                    break;
                case "additionalProperties":
                    if (instance.ValueKind == JsonValueKind.Object)
                    {
                        var declared = schema.TryGetProperty("properties", out var properties)
                            ? properties.EnumerateObject().Select(p => p.Name).ToHashSet(StringComparer.Ordinal)
                            : [];
                        foreach (var member in instance.EnumerateObject().Where(m => !declared.Contains(m.Name)))
                        {
                            Validate(value, baseUri, member.Value, $"{path}.{member.Name}", errors);
                        }
                    }

                    break;
                case "allOf":
                    foreach (var sub in value.EnumerateArray())
                    {
                        Validate(sub, baseUri, instance, path, errors);
                    }

                    break;
                case "anyOf":
                case "oneOf":
                    var results = value.EnumerateArray().Select(sub =>
                    {
                        var subErrors = new List<string>();
                        Validate(sub, baseUri, instance, path, subErrors);
                        return subErrors;
                    }).ToList();
                    var passed = results.Count(r => r.Count == 0);
                    if (keyword.Name == "anyOf" ? passed == 0 : passed != 1)
                    {
                        errors.Add(passed == 0
                            ? $"{path}: matches none of the {keyword.Name} alternatives: {string.Join(" | ", results.Select(r => string.Join("; ", r)))}"
                            : $"{path}: matches {passed} of the oneOf alternatives, not exactly one");
                    }

                    break;
                case "not":
                    var notErrors = new List<string>();
                    Validate(value, baseUri, instance, path, notErrors);
                    if (notErrors.Count == 0)
                    {
                        errors.Add($"{path}: matches a schema it must not match");
                    }

                    break;
                case "enum":
                    if (!value.EnumerateArray().Any(v => JsonElement.DeepEquals(v, instance)))
                    {
                        errors.Add($"{path}: {instance.GetRawText()} is not one of {value.GetRawText()}");
                    }

                    break;
                case "const":
                    if (!JsonElement.DeepEquals(value, instance))
                    {
                        errors.Add($"{path}: {instance.GetRawText()} is not {value.GetRawText()}");
                    }

                    break;
                case "items":
                    if (instance.ValueKind == JsonValueKind.Array)
                    {
                        var index = 0;
                        foreach (var item in instance.EnumerateArray())
                        {
                            Validate(value, baseUri, item, $"{path}[{index++}]", errors);
                        }
                    }

                    break;
                case "format":
                    if (instance.ValueKind == JsonValueKind.String && !HasFormat(instance.GetString()!, value.GetString()!))
                    {
                        errors.Add($"{path}: '{instance.GetString()}' is not a valid {value.GetString()}");
                    }

                    break;
                case "pattern":
                    if (instance.ValueKind == JsonValueKind.String && !Regex.IsMatch(instance.GetString()!, value.GetString()!, RegexOptions.None, TimeSpan.FromSeconds(1)))
                    {
                        errors.Add($"{path}: '{instance.GetString()}' does not match {value.GetString()}");
                    }

                    break;
                case "minimum":
                    if (instance.ValueKind == JsonValueKind.Number && instance.GetDecimal() < value.GetDecimal())
                    {
                        errors.Add($"{path}: {instance.GetRawText()} is below the minimum {value.GetRawText()}");
                    }

                    break;
                default:
                    if (!Annotations.Contains(keyword.Name))
                    {
                        throw new NotSupportedException($"JSON Schema keyword '{keyword.Name}' is not supported by this validator.");
                    }

                    break;
            }
        }
    }

    private (JsonElement Schema, Uri BaseUri) Resolve(Uri reference)
    {
        var documentUri = reference.GetLeftPart(UriPartial.Query);
        if (!_documents.TryGetValue(documentUri, out var document))
        {
            throw new InvalidOperationException($"$ref {reference} names a schema document that is not loaded.");
        }

        var node = document;
        var pointer = Uri.UnescapeDataString(reference.Fragment.TrimStart('#'));
        if (pointer.Length > 0)
        {
            foreach (var token in pointer.TrimStart('/').Split('/'))
            {
                var name = token.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
                node = node.ValueKind == JsonValueKind.Array
                    ? node[int.Parse(name, CultureInfo.InvariantCulture)]
                    : node.TryGetProperty(name, out var child) ? child : throw new InvalidOperationException($"$ref {reference} points at nothing.");
            }
        }

        return (node, new Uri(documentUri));
    }

    private static bool HasType(JsonElement instance, string type) => type switch
    {
        "object" => instance.ValueKind == JsonValueKind.Object,
        "array" => instance.ValueKind == JsonValueKind.Array,
        "string" => instance.ValueKind == JsonValueKind.String,
        "boolean" => instance.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "null" => instance.ValueKind == JsonValueKind.Null,
        "number" => instance.ValueKind == JsonValueKind.Number,
        "integer" => instance.ValueKind == JsonValueKind.Number && instance.TryGetDecimal(out var d) && d == decimal.Truncate(d),
        _ => throw new NotSupportedException($"JSON Schema type '{type}' is not supported by this validator."),
    };

    private static bool HasFormat(string text, string format) => format switch
    {
        "uri" => UriText().IsMatch(text) && Uri.TryCreate(text, UriKind.Absolute, out _),
        "date-time" => DateTimeText().IsMatch(text) && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out _),
        "uuid" => UuidText().IsMatch(text),
        _ => throw new NotSupportedException($"JSON Schema format '{format}' is not supported by this validator."),
    };

    /// <summary>Walks every subschema position and throws on a keyword or format the validator does not implement.</summary>
    private static void CheckKeywords(JsonElement schema, string where)
    {
        if (schema.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            return;
        }

        if (schema.ValueKind != JsonValueKind.Object)
        {
            throw new NotSupportedException($"{where}: a schema must be an object or a boolean.");
        }

        foreach (var keyword in schema.EnumerateObject())
        {
            var at = $"{where}/{keyword.Name}";
            switch (keyword.Name)
            {
                case "properties" or "$defs":
                    foreach (var sub in keyword.Value.EnumerateObject())
                    {
                        CheckKeywords(sub.Value, $"{at}/{sub.Name}");
                    }

                    break;
                case "additionalProperties" or "items" or "not":
                    CheckKeywords(keyword.Value, at);
                    break;
                case "allOf" or "anyOf" or "oneOf":
                    var i = 0;
                    foreach (var sub in keyword.Value.EnumerateArray())
                    {
                        CheckKeywords(sub, $"{at}/{i++}");
                    }

                    break;
                case "format" when !Formats.Contains(keyword.Value.GetString()):
                    throw new NotSupportedException($"{at}: JSON Schema format '{keyword.Value.GetString()}' is not supported by this validator.");
                case "type":
                    var named = keyword.Value.ValueKind == JsonValueKind.Array ? keyword.Value.EnumerateArray().Select(t => t.GetString()).ToList() : [keyword.Value.GetString()];
                    if (named.FirstOrDefault(t => !Types.Contains(t)) is { } unknown)
                    {
                        throw new NotSupportedException($"{at}: JSON Schema type '{unknown}' is not supported by this validator.");
                    }

                    break;
                default:
                    if (!Assertions.Contains(keyword.Name) && !Annotations.Contains(keyword.Name))
                    {
                        throw new NotSupportedException($"{at}: JSON Schema keyword '{keyword.Name}' is not supported by this validator.");
                    }

                    break;
            }
        }
    }

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s]*$")]
    private static partial Regex UriText();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+\-]\d{2}:\d{2})$")]
    private static partial Regex DateTimeText();

    [GeneratedRegex("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")]
    private static partial Regex UuidText();
}
