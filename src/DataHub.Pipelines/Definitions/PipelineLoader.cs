using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace DataHub.Pipelines.Definitions;

/// <summary>
/// Reads and validates <c>pipelines/*.yaml</c>. Every file is read and every field checked before anything is
/// refused, so one pass reports all problems, each as <c>file:line: field 'x': problem</c>.
/// </summary>
public static class PipelineLoader
{
    private static readonly HashSet<string> RootFields = new(StringComparer.Ordinal)
    {
        "name", "description", "department", "target", "schedule", "time_zone", "source", "mapping", "transform", "write",
        "key", "quality_gate", "retries", "sla",
    };

    private static readonly HashSet<string> SourceFields = new(StringComparer.Ordinal)
    {
        "type", "path", "inbox", "pattern", "format", "encoding", "delimiter", "header", "quote", "records",
        "connection", "table", "query", "watermark", "url", "cursor", "cursor_param", "page_size_param", "page_size",
    };

    /// <summary>Every pipeline in a folder; throws with every problem of every file when any is invalid.</summary>
    public static IReadOnlyList<PipelineDefinition> LoadDirectory(string directory)
    {
        var (pipelines, problems) = ValidateDirectory(directory);
        return problems.Count == 0 ? pipelines : throw new PipelineDefinitionException(problems);
    }

    /// <summary>The valid pipelines of a folder and the problems of the others (a pipeline with a problem is left out).</summary>
    public static (IReadOnlyList<PipelineDefinition> Valid, IReadOnlyList<string> Problems) ValidateDirectory(string directory)
    {
        if (!Directory.Exists(directory))
        {
            return ([], [$"{directory}: the pipelines folder does not exist."]);
        }

        var problems = new List<string>();
        var valid = new List<PipelineDefinition>();
        foreach (var file in Directory.EnumerateFiles(directory, "*.yaml").Order(StringComparer.Ordinal))
        {
            var fileProblems = new List<string>();
            var pipeline = Read(file, fileProblems);
            problems.AddRange(fileProblems);
            if (pipeline is not null && fileProblems.Count == 0)
            {
                valid.Add(pipeline);
            }
        }

        foreach (var duplicate in valid.GroupBy(p => p.Name, StringComparer.Ordinal).Where(g => g.Count() > 1).ToList())
        {
            problems.Add($"{duplicate.Last().SourceFile}:1: field 'name': '{duplicate.Key}' is already the name of {duplicate.First().SourceFile}");
            valid.RemoveAll(p => p.Name == duplicate.Key);
        }

        return (valid, problems);
    }

    /// <summary>One pipeline file; throws with all of its problems.</summary>
    public static PipelineDefinition Load(string file)
    {
        var problems = new List<string>();
        var pipeline = Read(file, problems);
        return problems.Count == 0 && pipeline is not null ? pipeline : throw new PipelineDefinitionException(problems);
    }

    private static PipelineDefinition? Read(string file, List<string> problems)
    {
        YamlMappingNode root;
        try
        {
            using var reader = new StreamReader(file);
            var stream = new YamlStream();
            stream.Load(reader);
            if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode document)
            {
                problems.Add($"{file}:1: field '(file)': a pipeline file holds one YAML mapping");
                return null;
            }

            root = document;
        }
        catch (YamlException e)
        {
            problems.Add($"{file}:{e.Start.Line}: field '(syntax)': invalid YAML: {e.Message}");
            return null;
        }

        var lines = new Dictionary<string, long>(StringComparer.Ordinal) { [string.Empty] = root.Start.Line };
        var reader2 = new Reader(file, problems, lines);
        reader2.UnknownOf(root, RootFields, string.Empty);
        var sourceNode = reader2.Mapping(root, "source", string.Empty);
        if (sourceNode is null)
        {
            problems.Add($"{file}:{root.Start.Line}: field 'source': is required (type, and path/inbox, connection or url)");
        }
        else
        {
            reader2.UnknownOf(sourceNode, SourceFields, "source.");
        }

        var source = sourceNode ?? new YamlMappingNode();
        var kindText = reader2.Scalar(source, "type", "source.") ?? "file";
        var kind = kindText switch
        {
            "file" => SourceKind.File,
            "postgres" => SourceKind.Postgres,
            "http" => SourceKind.Http,
            _ => reader2.Problem("source.type", $"'{kindText}' is not a source type (file, postgres, http)", SourceKind.File),
        };
        var gateNode = root.Children.TryGetValue(new YamlScalarNode("quality_gate"), out var g) ? g : null;
        lines["quality_gate"] = gateNode?.Start.Line ?? root.Start.Line;
        var gate = new QualityGateDefinition();
        if (gateNode is YamlScalarNode gateScalar)
        {
            gate = gate with { Enabled = reader2.Bool(gateScalar, "quality_gate") };
        }
        else if (gateNode is YamlMappingNode gateMap)
        {
            reader2.Unknown(gateMap, ["reject", "fail_run", "max_rejected_percent"], "quality_gate.");
            var reject = gateMap.Children.TryGetValue(new YamlScalarNode("reject"), out var r) ? r : null;
            lines["quality_gate.reject"] = reject?.Start.Line ?? gateMap.Start.Line;
            gate = gate with
            {
                Enabled = !(reject is YamlScalarNode { Value: "none" }),
                Reject = reject switch
                {
                    null or YamlScalarNode { Value: "fail_rules" } => null,
                    YamlScalarNode { Value: "none" } => [],
                    YamlSequenceNode ids => ids.Children.OfType<YamlScalarNode>().Select(n => n.Value ?? string.Empty).ToList(),
                    _ => reader2.Problem<IReadOnlyList<string>?>("quality_gate.reject", "is fail_rules, none or a list of rule ids", null),
                },
                FailRun = reader2.List(gateMap, "fail_run", "quality_gate.") ?? [],
                MaxRejectedPercent = reader2.Number(gateMap, "max_rejected_percent", "quality_gate."),
            };
        }

        var writeNode = reader2.Mapping(root, "write", string.Empty);
        if (writeNode is not null)
        {
            reader2.Unknown(writeNode, ["mode", "key", "partition"], "write.");
        }

        var write = new WriteDefinition { Key = reader2.List(root, "key", string.Empty) ?? [] };
        if (writeNode is not null)
        {
            var modeText = reader2.Scalar(writeNode, "mode", "write.") ?? "append";
            write = new WriteDefinition
            {
                Mode = modeText switch
                {
                    "append" => WriteMode.Append,
                    "merge" => WriteMode.Merge,
                    "overwrite_partition" => WriteMode.OverwritePartition,
                    _ => reader2.Problem("write.mode", $"'{modeText}' is not a write mode (append, merge, overwrite_partition)", WriteMode.Append),
                },
                Key = reader2.List(writeNode, "key", "write.") ?? write.Key,
                Partition = reader2.Scalar(writeNode, "partition", "write."),
            };
        }

        var retriesNode = reader2.Mapping(root, "retries", string.Empty);
        var retries = new RetryDefinition();
        if (retriesNode is not null)
        {
            reader2.Unknown(retriesNode, ["count", "backoff"], "retries.");
            retries = new RetryDefinition
            {
                Count = (int)(reader2.Number(retriesNode, "count", "retries.") ?? 0),
                Backoff = reader2.Duration(retriesNode, "backoff", "retries.") ?? retries.Backoff,
            };
        }

        var mappingNode = reader2.Mapping(root, "mapping", string.Empty);
        var mapping = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in mappingNode?.Children ?? Enumerable.Empty<KeyValuePair<YamlNode, YamlNode>>())
        {
            if (k is YamlScalarNode { Value: { } field } && v is YamlScalarNode { Value: { } column })
            {
                mapping[field] = column;
                lines["mapping." + field] = k.Start.Line;
            }
            else
            {
                reader2.Problem("mapping", "maps source field names to catalog column names (scalars)", 0);
            }
        }

        var slaText = reader2.Scalar(root, "sla", string.Empty);
        TimeOnly? sla = null;
        if (slaText is not null)
        {
            sla = TimeOnly.TryParseExact(slaText, ["HH:mm", "H:mm", "HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var t)
                ? t
                : reader2.Problem<TimeOnly?>("sla", $"'{slaText}' is not a local time such as 06:00", null);
        }

        var delimiter = reader2.Scalar(source, "delimiter", "source.") ?? ",";
        var quote = reader2.Scalar(source, "quote", "source.") ?? "\"";
        var definition = new PipelineDefinition
        {
            Name = reader2.Scalar(root, "name", string.Empty) ?? string.Empty,
            Description = reader2.Scalar(root, "description", string.Empty),
            Department = reader2.Scalar(root, "department", string.Empty) ?? string.Empty,
            Target = reader2.Scalar(root, "target", string.Empty) ?? string.Empty,
            Schedule = reader2.Scalar(root, "schedule", string.Empty),
            TimeZone = reader2.Scalar(root, "time_zone", string.Empty) ?? "Asia/Shanghai",
            Source = new SourceDefinition
            {
                Kind = kind,
                Path = reader2.Scalar(source, "path", "source."),
                Inbox = reader2.Scalar(source, "inbox", "source."),
                Pattern = reader2.Scalar(source, "pattern", "source.") ?? "*.csv",
                Format = (reader2.Scalar(source, "format", "source.") ?? "csv").ToLowerInvariant(),
                Encoding = (reader2.Scalar(source, "encoding", "source.") ?? "auto").ToLowerInvariant(),
                Delimiter = delimiter == "\\t" ? '\t' : delimiter.Length == 1 ? delimiter[0] : '\0',
                Header = reader2.Bool(source, "header", "source.") ?? true,
                Quote = quote.Length == 1 ? quote[0] : '\0',
                Records = reader2.Scalar(source, "records", "source."),
                Connection = reader2.Scalar(source, "connection", "source."),
                Table = reader2.Scalar(source, "table", "source."),
                Query = reader2.Scalar(source, "query", "source."),
                Watermark = reader2.Scalar(source, "watermark", "source."),
                Url = reader2.Scalar(source, "url", "source."),
                Cursor = reader2.Scalar(source, "cursor", "source."),
                CursorParam = reader2.Scalar(source, "cursor_param", "source.") ?? "cursor",
                PageSizeParam = reader2.Scalar(source, "page_size_param", "source."),
                PageSize = (int)(reader2.Number(source, "page_size", "source.") ?? 1000),
            },
            Mapping = mapping,
            Transform = reader2.Scalar(root, "transform", string.Empty),
            Write = write,
            Gate = gate,
            Retries = retries,
            Sla = sla,
            SourceFile = file,
            FieldLines = lines,
        };

        foreach (var failure in new PipelineDefinitionValidator().Validate(definition).Errors)
        {
            // Nested validators prefix their parent's property; collection rules add an index.
            var field = System.Text.RegularExpressions.Regex.Replace(failure.PropertyName, @"\[\d+\]", string.Empty);
            field = field.StartsWith("Source.", StringComparison.Ordinal) ? field["Source.".Length..] : field;
            problems.Add($"{file}:{reader2.LineOf(field)}: field '{field}': {failure.ErrorMessage}");
        }

        return definition;
    }

    /// <summary>Reads typed values from YAML nodes, noting each field's line and collecting type problems.</summary>
    private sealed class Reader(string file, List<string> problems, Dictionary<string, long> lines)
    {
        public long LineOf(string field)
        {
            for (var f = field; ; f = f[..f.LastIndexOf('.')])
            {
                if (lines.TryGetValue(f, out var line))
                {
                    return line;
                }

                if (!f.Contains('.', StringComparison.Ordinal))
                {
                    return lines[string.Empty];
                }
            }
        }

        public T Problem<T>(string field, string message, T fallback)
        {
            problems.Add($"{file}:{LineOf(field)}: field '{field}': {message}");
            return fallback;
        }

        public void UnknownOf(YamlMappingNode node, HashSet<string> known, string prefix)
        {
            foreach (var key in node.Children.Keys)
            {
                var name = (key as YamlScalarNode)?.Value ?? string.Empty;
                if (!known.Contains(name))
                {
                    problems.Add($"{file}:{key.Start.Line}: field '{prefix}{name}': is not a pipeline setting (known: {string.Join(", ", known.Order(StringComparer.Ordinal))})");
                }
            }
        }

        public void Unknown(YamlMappingNode node, string[] known, string prefix) => UnknownOf(node, new HashSet<string>(known, StringComparer.Ordinal), prefix);

        public YamlMappingNode? Mapping(YamlMappingNode node, string key, string prefix)
        {
            if (!node.Children.TryGetValue(new YamlScalarNode(key), out var value))
            {
                return null;
            }

            lines[prefix + key] = value.Start.Line;
            return value as YamlMappingNode ?? Problem<YamlMappingNode?>(prefix + key, "must be a mapping", null);
        }

        public string? Scalar(YamlMappingNode node, string key, string prefix)
        {
            if (!node.Children.TryGetValue(new YamlScalarNode(key), out var value))
            {
                return null;
            }

            lines[prefix + key] = value.Start.Line;
            return value is YamlScalarNode scalar ? scalar.Value : Problem<string?>(prefix + key, "must be a single value", null);
        }

        public IReadOnlyList<string>? List(YamlMappingNode node, string key, string prefix)
        {
            if (!node.Children.TryGetValue(new YamlScalarNode(key), out var value))
            {
                return null;
            }

            lines[prefix + key] = value.Start.Line;
            return value switch
            {
                YamlSequenceNode sequence => sequence.Children.OfType<YamlScalarNode>().Select(n => n.Value ?? string.Empty).ToList(),
                YamlScalarNode { Value: { Length: > 0 } one } => [one],
                _ => Problem<IReadOnlyList<string>?>(prefix + key, "must be a list", null),
            };
        }

        public double? Number(YamlMappingNode node, string key, string prefix) =>
            Scalar(node, key, prefix) is { } text
                ? double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) ? n : Problem<double?>(prefix + key, $"'{text}' is not a number", null)
                : null;

        public bool? Bool(YamlMappingNode node, string key, string prefix) =>
            Scalar(node, key, prefix) is { } text ? ParseBool(text, prefix + key) : null;

        public bool Bool(YamlScalarNode node, string field) => ParseBool(node.Value ?? string.Empty, field);

        public TimeSpan? Duration(YamlMappingNode node, string key, string prefix)
        {
            if (Scalar(node, key, prefix) is not { Length: > 1 } text)
            {
                return null;
            }

            var unit = text[^1];
            return double.TryParse(text[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && n >= 0 && unit is 's' or 'm' or 'h'
                ? unit switch { 's' => TimeSpan.FromSeconds(n), 'm' => TimeSpan.FromMinutes(n), _ => TimeSpan.FromHours(n) }
                : Problem<TimeSpan?>(prefix + key, $"'{text}' is not a duration such as 30s, 5m or 1h", null);
        }

        private bool ParseBool(string text, string field) => text.ToLowerInvariant() switch
        {
            "true" or "yes" => true,
            "false" or "no" => false,
            _ => Problem(field, $"'{text}' is not true or false", false),
        };
    }
}
