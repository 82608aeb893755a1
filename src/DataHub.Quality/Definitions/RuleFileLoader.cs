using System.Globalization;
using DataHub.Catalog;
using DataHub.Quality.Rules;
using FluentValidation;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace DataHub.Quality.Definitions;

/// <summary>
/// Reads <c>catalog/rules/*.yaml</c>. Every file is read and every rule checked before anything is refused, so
/// one run reports all problems at once, each with file, line and field. Given the catalog, the columns a
/// reconcile rule names are checked against both datasets' definitions as well.
/// </summary>
public static class RuleFileLoader
{
    private static readonly Dictionary<string, RuleKind> Kinds = new(StringComparer.Ordinal)
    {
        ["not_null"] = RuleKind.NotNull, ["in_code_set"] = RuleKind.InCodeSet, ["format"] = RuleKind.Format, ["length"] = RuleKind.Length,
        ["range"] = RuleKind.Range, ["check_digit"] = RuleKind.CheckDigit, ["expression"] = RuleKind.Expression, ["unique"] = RuleKind.Unique,
        ["foreign_key"] = RuleKind.ForeignKey, ["row_count"] = RuleKind.RowCount, ["freshness"] = RuleKind.Freshness, ["schema"] = RuleKind.Schema,
        ["reconcile"] = RuleKind.Reconcile, ["source_conflicts"] = RuleKind.SourceConflicts,
        ["address_link"] = RuleKind.AddressLink,
    };

    private static readonly string[] CompareKeys = ["column", "other", "tolerance", "tolerance_percent"];

    /// <summary>Named formats a format rule may use instead of a pattern.</summary>
    public static IReadOnlyDictionary<string, string> NamedFormats { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["mobile_phone"] = "1[3-9][0-9]{9}",
        ["postal_code"] = "[0-9]{6}",
        ["email"] = "[^@ ]+@[^@ ]+\\.[A-Za-z]{2,}",
        ["division_code"] = "[1-8][0-9]{5}",
        ["citizen_id"] = "[1-9][0-9]{16}[0-9X]",
        ["credit_code"] = "[0-9A-HJ-NP-RTUW-Y]{2}[0-9]{6}[0-9A-HJ-NP-RTUW-Y]{10}",
        ["date_yyyymmdd"] = "(19|20)[0-9]{2}(0[1-9]|1[0-2])(0[1-9]|[12][0-9]|3[01])",
    };

    /// <summary>All rules of a folder (none when it does not exist).</summary>
    /// <param name="directory">The folder of rule files.</param>
    /// <param name="catalog">The catalog, to check the datasets and columns reconcile rules name; null to skip that check.</param>
    public static IReadOnlyList<RuleDefinition> LoadDirectory(string directory, CatalogDefinitions? catalog = null)
    {
        if (!Directory.Exists(directory))
        {
            return [];
        }

        var problems = new List<string>();
        var rules = new List<RuleDefinition>();
        var validator = new RuleDefinitionValidator(catalog);
        foreach (var file in Directory.EnumerateFiles(directory, "*.yaml").Order(StringComparer.Ordinal))
        {
            rules.AddRange(LoadFile(file, validator, problems));
        }

        foreach (var duplicate in rules.GroupBy(r => r.Id, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            problems.Add($"{duplicate.Last().Source}: id: '{duplicate.Key}' is already used at {duplicate.First().Source}");
        }

        return problems.Count == 0 ? rules : throw new RuleDefinitionException(problems);
    }

    private static List<RuleDefinition> LoadFile(string file, RuleDefinitionValidator validator, List<string> problems)
    {
        YamlMappingNode root;
        try
        {
            using var reader = new StreamReader(file);
            var stream = new YamlStream();
            stream.Load(reader);
            if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode mapping)
            {
                problems.Add($"{file}:1: rules: the file holds one mapping with a 'rules' list");
                return [];
            }

            root = mapping;
        }
        catch (YamlException e)
        {
            problems.Add($"{file}:{e.Start.Line}: (syntax): {e.Message}");
            return [];
        }

        if (!root.Children.TryGetValue(new YamlScalarNode("rules"), out var list) || list is not YamlSequenceNode rules)
        {
            problems.Add($"{file}:{root.Start.Line}: rules: a list of rules is required");
            return [];
        }

        var result = new List<RuleDefinition>();
        foreach (var node in rules.Children)
        {
            if (node is not YamlMappingNode rule)
            {
                problems.Add($"{file}:{node.Start.Line}: rules: each rule is a mapping");
                continue;
            }

            var parsed = Parse(file, rule, problems);
            if (parsed is null)
            {
                continue;
            }

            var validation = validator.Validate(parsed);
            foreach (var error in validation.Errors)
            {
                // Problems with a part of a field (a reconcile key or compared field) carry their own line and name it.
                if (error.CustomState is long at)
                {
                    problems.Add($"{file}:{at}: {error.PropertyName}: {error.ErrorMessage}");
                    continue;
                }

                var key = error.PropertyName.Split('.')[^1];
                var field = FieldName(key);
                problems.Add($"{file}:{LineOf(rule, field) ?? rule.Start.Line}: {field}: {error.ErrorMessage}");
            }

            if (validation.IsValid)
            {
                result.Add(parsed);
            }
        }

        return result;
    }

    private static RuleDefinition? Parse(string file, YamlMappingNode rule, List<string> problems)
    {
        string? S(string key) => rule.Children.TryGetValue(new YamlScalarNode(key), out var v) && v is YamlScalarNode s ? s.Value : null;
        List<string> L(string key) => rule.Children.TryGetValue(new YamlScalarNode(key), out var v) && v is YamlSequenceNode seq
            ? seq.Children.OfType<YamlScalarNode>().Select(n => n.Value ?? string.Empty).ToList()
            : [];
        var line = rule.Start.Line;
        var count = problems.Count;
        void Problem(string field, string message) => problems.Add($"{file}:{LineOf(rule, field) ?? line}: {field}: {message}");
        void ProblemAt(string field, long at, string message) => problems.Add($"{file}:{at}: {field}: {message}");

        var kindText = S("kind");
        RuleKind kind = default;
        if (kindText is null || !Kinds.TryGetValue(kindText, out kind))
        {
            Problem("kind", $"'{kindText}' is not one of {string.Join(", ", Kinds.Keys)}");
        }

        var dimensionText = S("dimension") ?? (kind is RuleKind.Reconcile or RuleKind.SourceConflicts ? "consistency" : kind == RuleKind.AddressLink ? "completeness" : null);
        if (!Enum.TryParse<QualityDimension>(dimensionText, ignoreCase: true, out var dimension) || int.TryParse(dimensionText, out _))
        {
            Problem("dimension", $"'{dimensionText}' is not one of normativity, completeness, accuracy, consistency, timeliness, accessibility");
        }

        var algorithm = S("algorithm");
        var severityText = S("severity") ?? ((kind == RuleKind.CheckDigit && algorithm == "gb32100") || kind is RuleKind.SourceConflicts or RuleKind.AddressLink ? "warn" : "fail");
        if (!Enum.TryParse<RuleSeverity>(severityText, ignoreCase: true, out var severity) || int.TryParse(severityText, out _))
        {
            Problem("severity", $"'{severityText}' is not warn or fail");
        }

        var pattern = S("pattern");
        var named = S("named_format");
        if (named is not null)
        {
            if (NamedFormats.TryGetValue(named, out var namedPattern))
            {
                pattern = namedPattern;
            }
            else
            {
                Problem("named_format", $"'{named}' is not one of {string.Join(", ", NamedFormats.Keys)}");
            }
        }

        long? maxCount = null;
        double? maxPercent = null;
        if (S("max_failed") is { } mc)
        {
            if (long.TryParse(mc, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v >= 0)
            {
                maxCount = v;
            }
            else
            {
                Problem("max_failed", $"'{mc}' is not a whole number of rows ≥ 0");
            }
        }

        if (S("max_failed_percent") is { } mp)
        {
            if (double.TryParse(mp, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v is >= 0 and <= 100)
            {
                maxPercent = v;
            }
            else
            {
                Problem("max_failed_percent", $"'{mp}' is not a percentage between 0 and 100");
            }
        }

        double? maxChange = null;
        if (S("max_change_percent") is { } mcp)
        {
            if (double.TryParse(mcp, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v >= 0)
            {
                maxChange = v;
            }
            else
            {
                Problem("max_change_percent", $"'{mcp}' is not a percentage ≥ 0");
            }
        }

        TimeSpan? maxAge = null;
        if (S("max_age") is { } age)
        {
            maxAge = ParseAge(age);
            if (maxAge is null)
            {
                Problem("max_age", $"'{age}' is not a duration such as 30m, 12h, 2d or 1w");
            }
        }

        ReconcileSettings? reconcile = null;
        if (kind == RuleKind.Reconcile)
        {
            var missing = S("missing") ?? "fail";
            if (missing is not ("fail" or "ignore"))
            {
                Problem("missing", $"'{missing}' is not fail or ignore");
            }

            // An empty value (on: with nothing after it) counts as absent.
            YamlNode? Node(string key) => rule.Children.TryGetValue(new YamlScalarNode(key), out var v) && v is not YamlScalarNode { Value: null or "" } ? v : null;
            reconcile = new ReconcileSettings(S("with") ?? string.Empty, ParseKeys(Node("on"), ProblemAt), ParseFields(Node("compare"), ProblemAt), missing == "ignore");
        }

        if (problems.Count > count)
        {
            return null;
        }

        var parameters = new RuleParameters
        {
            Codes = L("codes"),
            Pattern = pattern,
            Min = S("min"),
            Max = S("max"),
            Algorithm = algorithm,
            Condition = S("condition"),
            ReferenceSql = null,
            NullsAreKeys = string.Equals(S("nulls_are_keys"), "true", StringComparison.OrdinalIgnoreCase),
            MaxChangePercent = maxChange,
            MaxAge = maxAge,
            Reconcile = reconcile,
        };
        if (L("missing_markers") is { Count: > 0 } markers)
        {
            parameters = parameters with { MissingMarkers = markers };
        }

        return new RuleDefinition(
            S("id") ?? string.Empty,
            new RuleTarget(S("attribute"), S("element"), S("dataset"), S("column")),
            kind,
            dimension,
            severity,
            L("columns"),
            // A foreign key's referenced column and a reconcile rule's other dataset are resolved to SQL the same way, when bound.
            parameters with { ReferenceSql = kind is RuleKind.Reconcile or RuleKind.SourceConflicts ? S("with") : S("references") },
            maxCount is null && maxPercent is null ? RuleThreshold.Zero : new RuleThreshold(maxCount, maxPercent),
            $"{file}:{line}");
    }

    /// <summary>
    /// A reconcile rule's <c>on</c>: a column (the same name on both sides), a list of columns or one-entry
    /// mappings <c>{column: other_column}</c>, or a mapping of columns to the other dataset's columns.
    /// </summary>
    private static List<ReconcileKey> ParseKeys(YamlNode? node, Action<string, long, string> problem)
    {
        const string Shape = "each key is a column name, or column: other_column";
        var keys = new List<ReconcileKey>();
        void Pair(YamlNode column, YamlNode other, long at)
        {
            if (column is YamlScalarNode { Value: { Length: > 0 } here } && other is YamlScalarNode { Value: { Length: > 0 } there })
            {
                keys.Add(new ReconcileKey(here, there, at));
            }
            else
            {
                problem("on", at, Shape);
            }
        }

        switch (node)
        {
            case null:
                break;
            case YamlScalarNode:
                Pair(node, node, node.Start.Line);
                break;
            case YamlMappingNode mapping:
                foreach (var (column, other) in mapping.Children)
                {
                    Pair(column, other, column.Start.Line);
                }

                break;
            case YamlSequenceNode sequence:
                foreach (var item in sequence.Children)
                {
                    if (item is YamlMappingNode { Children.Count: 1 } one)
                    {
                        var (column, other) = one.Children.First();
                        Pair(column, other, item.Start.Line);
                    }
                    else
                    {
                        Pair(item, item, item.Start.Line);
                    }
                }

                break;
            default:
                problem("on", node.Start.Line, Shape);
                break;
        }

        return keys;
    }

    /// <summary>
    /// A reconcile rule's <c>compare</c>: a column name, or a list of column names (the same on both sides, compared
    /// exactly) and of mappings with <c>column</c>, optionally <c>other</c> (the other dataset's column), <c>tolerance</c> and
    /// <c>tolerance_percent</c> (numbers ≥ 0).
    /// </summary>
    private static List<ReconcileField> ParseFields(YamlNode? node, Action<string, long, string> problem)
    {
        var fields = new List<ReconcileField>();
        if (node is null)
        {
            return fields;
        }

        IEnumerable<YamlNode> items = node switch
        {
            YamlSequenceNode sequence => sequence.Children,
            YamlScalarNode => [node],
            _ => [],
        };
        if (node is not (YamlSequenceNode or YamlScalarNode))
        {
            problem("compare", node.Start.Line, "a list of fields: column names, or mappings with column and optionally other, tolerance, tolerance_percent");
        }

        foreach (var item in items)
        {
            if (item is YamlScalarNode { Value: { Length: > 0 } name })
            {
                fields.Add(new ReconcileField(name, name, Line: item.Start.Line));
                continue;
            }

            if (item is not YamlMappingNode entry)
            {
                problem("compare", item.Start.Line, "each field is a column name or a mapping with column");
                continue;
            }

            string? Value(string key) => entry.Children.TryGetValue(new YamlScalarNode(key), out var v) && v is YamlScalarNode s ? s.Value : null;
            long LineOf(string key) => entry.Children.Keys.FirstOrDefault(k => k is YamlScalarNode s && s.Value == key)?.Start.Line ?? entry.Start.Line;
            var column = Value("column");
            if (string.IsNullOrEmpty(column))
            {
                problem("compare", entry.Start.Line, "each field names its column (column: name)");
                continue;
            }

            var ok = true;
            foreach (var unknown in entry.Children.Keys.OfType<YamlScalarNode>().Where(k => !CompareKeys.Contains(k.Value)))
            {
                problem($"compare.{column}.{unknown.Value}", unknown.Start.Line, $"not one of {string.Join(", ", CompareKeys)}");
                ok = false;
            }

            decimal? Tolerance(string key)
            {
                if (Value(key) is not { } text)
                {
                    return null;
                }

                if (decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && n >= 0)
                {
                    return n;
                }

                problem($"compare.{column}.{key}", LineOf(key), $"'{text}' is not a number ≥ 0");
                ok = false;
                return null;
            }

            var tolerance = Tolerance("tolerance");
            var percent = Tolerance("tolerance_percent");
            if (ok)
            {
                fields.Add(new ReconcileField(column, Value("other") ?? column, tolerance, percent, entry.Start.Line));
            }
        }

        return fields;
    }

    private static TimeSpan? ParseAge(string text)
    {
        if (text.Length < 2 || !double.TryParse(text[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var n) || n <= 0)
        {
            return null;
        }

        return text[^1] switch
        {
            'm' => TimeSpan.FromMinutes(n),
            'h' => TimeSpan.FromHours(n),
            'd' => TimeSpan.FromDays(n),
            'w' => TimeSpan.FromDays(7 * n),
            _ => null,
        };
    }

    private static string FieldName(string property) => property switch
    {
        "Id" => "id",
        "Attribute" or "Element" or "Dataset" or "Target" => "attribute/element/dataset",
        "Column" => "column",
        "Columns" => "columns",
        "Codes" => "codes",
        "Pattern" => "pattern",
        "Min" => "min",
        "Max" => "max",
        "Algorithm" => "algorithm",
        "Condition" => "condition",
        "ReferenceSql" => "references",
        _ => property.ToLowerInvariant(),
    };

    private static long? LineOf(YamlMappingNode node, string field) =>
        node.Children.Keys.OfType<YamlScalarNode>().FirstOrDefault(k => field.Split('/').Contains(k.Value))?.Start.Line;
}
