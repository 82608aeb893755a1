using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace DataHub.Catalog;

/// <summary>
/// Reads the fields of one YAML mapping and turns every problem into a <see cref="CatalogDefinitionException"/>
/// that names the file, the line and the field path (such as <c>columns[2].type</c>).
/// </summary>
internal sealed class YamlMappingReader
{
    private readonly YamlMappingNode node;
    private readonly string path;

    private YamlMappingReader(string file, YamlMappingNode node, string path)
    {
        File = file;
        this.node = node;
        this.path = path;
    }

    /// <summary>The file the mapping comes from.</summary>
    public string File { get; }

    /// <summary>The 1-based line where the mapping starts.</summary>
    public long Line => node.Start.Line;

    /// <summary>Parses a file whose single document is a mapping.</summary>
    /// <param name="file">The YAML file.</param>
    public static YamlMappingReader Load(string file)
    {
        var stream = new YamlStream();
        try
        {
            using var reader = new StreamReader(file);
            stream.Load(reader);
        }
        catch (YamlException ex)
        {
            throw new CatalogDefinitionException(file, ex.Start.Line, "(syntax)", ex.Message, ex);
        }

        if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new CatalogDefinitionException(file, 1, "(document)", "expected exactly one YAML document holding a mapping");
        }

        return new YamlMappingReader(file, root, string.Empty);
    }

    /// <summary>The full path of a field of this mapping.</summary>
    /// <param name="key">The key.</param>
    public string FieldPath(string key) => path.Length == 0 ? key : $"{path}.{key}";

    /// <summary>An error at a field: at its value's line when present, else at the mapping's line.</summary>
    /// <param name="key">The key.</param>
    /// <param name="problem">What is wrong.</param>
    public CatalogDefinitionException Error(string key, string problem) =>
        new(File, Find(key)?.Start.Line ?? Line, FieldPath(key), problem);

    /// <summary>Fails when the mapping has a key not in the list (catches typos).</summary>
    /// <param name="allowed">The keys this mapping may have.</param>
    public void RejectUnknownKeys(params string[] allowed)
    {
        foreach (var key in node.Children.Keys)
        {
            var name = (key as YamlScalarNode)?.Value ?? string.Empty;
            if (!allowed.Contains(name, StringComparer.Ordinal))
            {
                throw new CatalogDefinitionException(
                    File, key.Start.Line, FieldPath(name), $"unknown field; expected one of: {string.Join(", ", allowed)}");
            }
        }
    }

    /// <summary>A scalar that must be present and not empty.</summary>
    /// <param name="key">The key.</param>
    public string RequireString(string key) =>
        OptionalString(key) ?? throw Error(key, Find(key) is null ? "required field is missing" : "required field is empty");

    /// <summary>A scalar, or null when absent, empty or <c>null</c>/<c>~</c>.</summary>
    /// <param name="key">The key.</param>
    public string? OptionalString(string key)
    {
        var value = Find(key);
        if (value is null)
        {
            return null;
        }

        if (value is not YamlScalarNode scalar)
        {
            throw Error(key, "expected a single value, found a list or mapping");
        }

        var text = scalar.Value?.Trim();
        var isNull = scalar.Style is ScalarStyle.Plain or ScalarStyle.Any
            && (string.IsNullOrEmpty(text) || text is "~" or "null" or "Null" or "NULL");
        return isNull || string.IsNullOrEmpty(text) ? null : text;
    }

    /// <summary>An integer that must be present and within bounds.</summary>
    /// <param name="key">The key.</param>
    /// <param name="min">The smallest allowed value.</param>
    /// <param name="max">The largest allowed value.</param>
    public int RequireInt(string key, int min, int max)
    {
        var text = RequireString(key);
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            throw Error(key, $"'{text}' is not a whole number from {min} to {max}");
        }

        return value;
    }

    /// <summary>An integer within bounds, or null when absent.</summary>
    /// <param name="key">The key.</param>
    /// <param name="min">The smallest allowed value.</param>
    /// <param name="max">The largest allowed value.</param>
    public int? OptionalInt(string key, int min, int max) => OptionalString(key) is null ? null : RequireInt(key, min, max);

    /// <summary>A date written as YYYY-MM-DD, or null when absent.</summary>
    /// <param name="key">The key.</param>
    public DateOnly? OptionalDate(string key)
    {
        var text = OptionalString(key);
        if (text is null)
        {
            return null;
        }

        return DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : throw Error(key, $"'{text}' is not a date of the form YYYY-MM-DD");
    }

    /// <summary>A scalar that must be present and one of the allowed values.</summary>
    /// <param name="key">The key.</param>
    /// <param name="allowed">The allowed values.</param>
    public string RequireOneOf(string key, IReadOnlyCollection<string> allowed) =>
        OptionalOneOf(key, allowed) ?? throw Error(key, $"required field is missing; expected one of: {string.Join(", ", allowed)}");

    /// <summary>A scalar that, when present, must be one of the allowed values.</summary>
    /// <param name="key">The key.</param>
    /// <param name="allowed">The allowed values.</param>
    public string? OptionalOneOf(string key, IReadOnlyCollection<string> allowed)
    {
        var text = OptionalString(key);
        if (text is not null && !allowed.Contains(text, StringComparer.Ordinal))
        {
            throw Error(key, $"'{text}' is not allowed; expected one of: {string.Join(", ", allowed)}");
        }

        return text;
    }

    /// <summary>A list of mappings that must be present and not empty.</summary>
    /// <param name="key">The key.</param>
    public IReadOnlyList<YamlMappingReader> RequireMappings(string key)
    {
        var value = Find(key) ?? throw Error(key, "required list is missing");
        if (value is not YamlSequenceNode sequence)
        {
            throw Error(key, "expected a list");
        }

        if (sequence.Children.Count == 0)
        {
            throw Error(key, "the list is empty");
        }

        var items = new List<YamlMappingReader>(sequence.Children.Count);
        for (var i = 0; i < sequence.Children.Count; i++)
        {
            var itemPath = $"{FieldPath(key)}[{i.ToString(CultureInfo.InvariantCulture)}]";
            if (sequence.Children[i] is not YamlMappingNode item)
            {
                throw new CatalogDefinitionException(File, sequence.Children[i].Start.Line, itemPath, "expected a mapping of fields");
            }

            items.Add(new YamlMappingReader(File, item, itemPath));
        }

        return items;
    }

    private YamlNode? Find(string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;
}
