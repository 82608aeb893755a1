using System.Globalization;
using DataHub.Quality.Rules;
using FluentValidation;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace DataHub.Quality.Definitions;

/// <summary>
/// Reads <c>catalog/rules/*.yaml</c>. Every file is read and every rule checked before anything is refused, so
/// one run reports all problems at once, each with file, line and field.
/// </summary>
public static class RuleFileLoader
{
    private static readonly Dictionary<string, RuleKind> Kinds = new(StringComparer.Ordinal)
    {
        ["not_null"] = RuleKind.NotNull, ["in_code_set"] = RuleKind.InCodeSet, ["format"] = RuleKind.Format, ["length"] = RuleKind.Length,
        ["range"] = RuleKind.Range, ["check_digit"] = RuleKind.CheckDigit, ["expression"] = RuleKind.Expression, ["unique"] = RuleKind.Unique,
        ["foreign_key"] = RuleKind.ForeignKey, ["row_count"] = RuleKind.RowCount, ["freshness"] = RuleKind.Freshness, ["schema"] = RuleKind.Schema,
    };

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
    public static IReadOnlyList<RuleDefinition> LoadDirectory(string directory)
    {
        if (!Directory.Exists(directory))
        {
            return [];
        }

        var problems = new List<string>();
        var rules = new List<RuleDefinition>();
        foreach (var file in Directory.EnumerateFiles(directory, "*.yaml").Order(StringComparer.Ordinal))
        {
            rules.AddRange(LoadFile(file, problems));
        }

        foreach (var duplicate in rules.GroupBy(r => r.Id, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            problems.Add($"{duplicate.Last().Source}: id: '{duplicate.Key}' is already used at {duplicate.First().Source}");
        }

        return problems.Count == 0 ? rules : throw new RuleDefinitionException(problems);
    }

    private static List<RuleDefinition> LoadFile(string file, List<string> problems)
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

            var validation = new RuleDefinitionValidator().Validate(parsed);
            foreach (var error in validation.Errors)
            {
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

        var kindText = S("kind");
        RuleKind kind = default;
        if (kindText is null || !Kinds.TryGetValue(kindText, out kind))
        {
            Problem("kind", $"'{kindText}' is not one of {string.Join(", ", Kinds.Keys)}");
        }

        var dimensionText = S("dimension");
        if (!Enum.TryParse<QualityDimension>(dimensionText, ignoreCase: true, out var dimension) || int.TryParse(dimensionText, out _))
        {
            Problem("dimension", $"'{dimensionText}' is not one of normativity, completeness, accuracy, consistency, timeliness, accessibility");
        }

        var algorithm = S("algorithm");
        var severityText = S("severity") ?? (kind == RuleKind.CheckDigit && algorithm == "gb32100" ? "warn" : "fail");
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
            parameters with { ReferenceSql = S("references") },
            maxCount is null && maxPercent is null ? RuleThreshold.Zero : new RuleThreshold(maxCount, maxPercent),
            $"{file}:{line}");
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
