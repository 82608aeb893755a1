using System.Globalization;
using System.Text;
using DataHub.Quality.Functions;

namespace DataHub.Quality.Rules;

/// <summary>
/// Turns rules into SQL for DuckDB. Every row-level rule of a table becomes a pair of conditions, so that all of
/// them are counted in ONE aggregate query over the table (a single scan), and the same conditions tell the
/// ingestion gate which rules each row breaks. Unique, foreign-key and reconcile rules need a grouping or a join
/// and get one query each.
/// </summary>
public static class RuleCompiler
{
    /// <summary>Compiles the rules for a table whose columns (name → DuckDB type) are given.</summary>
    public static CompiledRules Compile(IReadOnlyList<QualityRule> rules, IReadOnlyDictionary<string, string> columns)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(columns);
        var duplicate = rules.GroupBy(r => r.Id, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"Rule id '{duplicate.Key}' is used twice.", nameof(rules));
        }

        foreach (var rule in rules)
        {
            foreach (var column in rule.Columns.Where(c => !columns.ContainsKey(c)))
            {
                throw new ArgumentException($"Rule {rule.Id} reads column '{column}', which the table does not have ({string.Join(", ", columns.Keys)}).", nameof(rules));
            }
        }

        var rowRules = rules.Where(r => !IsSetRule(r.Kind) && r.Kind is not (RuleKind.RowCount or RuleKind.Freshness or RuleKind.Schema or RuleKind.SourceConflicts))
            .Select(r => CompileRow(r, columns))
            .ToList();
        var setRules = rules.Where(r => IsSetRule(r.Kind)).ToList();
        return new CompiledRules(rowRules, setRules);
    }

    /// <summary>True for the kinds that need a query of their own (a grouping or a join) rather than a condition per row.</summary>
    public static bool IsSetRule(RuleKind kind) => kind is RuleKind.Unique or RuleKind.ForeignKey or RuleKind.Reconcile;

    private static CompiledRule CompileRow(QualityRule rule, IReadOnlyDictionary<string, string> columns)
    {
        var p = rule.Parameters;
        if (rule.Kind == RuleKind.Expression)
        {
            var condition = p.Condition ?? throw new ArgumentException($"Rule {rule.Id} (expression) needs a condition.");
            return new CompiledRule(rule, $"(({condition}) IS NOT NULL)", $"(({condition}) IS NOT DISTINCT FROM false)");
        }

        if (rule.Kind == RuleKind.AddressLink)
        {
            // Every record counts; it fails without a standard address code. The other columns are shown in samples only.
            return new CompiledRule(rule, "true", $"({Quote(rule.Columns[0])} IS NULL)");
        }

        if (rule.Columns.Count != 1)
        {
            throw new ArgumentException($"Rule {rule.Id} ({rule.Kind}) checks exactly one column.");
        }

        var column = rule.Columns[0];
        var c = Quote(column);
        var text = $"CAST({c} AS VARCHAR)";
        var present = $"({c} IS NOT NULL)";
        // Every breach below is NULL when the value is NULL (SQL functions and comparisons propagate NULL), so
        // coalescing to false already skips NULL values without a separate test.
        string Guarded(string breach) => $"coalesce({breach}, false)";
        return rule.Kind switch
        {
            RuleKind.NotNull => new CompiledRule(rule, "true", MissingSql(c, columns[column], p.MissingMarkers)),
            RuleKind.InCodeSet => new CompiledRule(rule, present,
                Guarded($"{text} NOT IN ({string.Join(", ", Require(rule, p.Codes.Count > 0 ? p.Codes : null, "codes").Select(Literal))})")),
            RuleKind.Format => new CompiledRule(rule, present, Guarded($"NOT regexp_full_match({text}, {Literal(Require(rule, p.Pattern, "pattern"))})")),
            RuleKind.Length => new CompiledRule(rule, present, Guarded(Bounds($"length({text})", p.Min is null ? null : Number(rule, p.Min), p.Max is null ? null : Number(rule, p.Max)))),
            RuleKind.Range => new CompiledRule(rule, present, Guarded(Bounds(c,
                p.Min is null ? null : $"CAST({Literal(p.Min)} AS {columns[column]})",
                p.Max is null ? null : $"CAST({Literal(p.Max)} AS {columns[column]})"))),
            RuleKind.CheckDigit => new CompiledRule(rule, present, Guarded($"NOT {Algorithm(rule)}({text})")),
            _ => throw new ArgumentException($"Rule {rule.Id}: {rule.Kind} is not a row-level rule."),
        };
    }

    /// <summary>
    /// NULL, or text that is a missing marker once trimmed. Only text columns can hold markers; and only values
    /// that start or end with a space need trimming (trim removes spaces), which keeps the common case to one hash lookup.
    /// </summary>
    private static string MissingSql(string c, string type, IReadOnlyList<string> markers)
    {
        if (markers.Count == 0 || !type.StartsWith("VARCHAR", StringComparison.OrdinalIgnoreCase))
        {
            return $"({c} IS NULL)";
        }

        var list = string.Join(", ", markers.Select(Literal));
        // The trimmed test sits in a CASE so that trim runs only for the values it can change: an IN list is planned
        // as a join whose key (here trim(...)) would otherwise be computed for every row.
        return $"({c} IS NULL OR {c} IN ({list}) OR CASE WHEN starts_with({c}, ' ') OR suffix({c}, ' ') THEN list_contains([{list}], trim({c})) ELSE false END)";
    }

    private static string Bounds(string value, string? min, string? max) =>
        (min, max) switch
        {
            (not null, not null) => $"{value} < {min} OR {value} > {max}",
            (not null, null) => $"{value} < {min}",
            (null, not null) => $"{value} > {max}",
            _ => "false",
        };

    private static string Algorithm(QualityRule rule) => rule.Parameters.Algorithm switch
    {
        "gb11643" => QualityFunctions.CitizenIdValid,
        "gb32100" => QualityFunctions.CreditCodeValid,
        var other => throw new ArgumentException($"Rule {rule.Id}: check_digit algorithm '{other}' is not gb11643 or gb32100."),
    };

    private static T Require<T>(QualityRule rule, T? value, string name) where T : class =>
        value ?? throw new ArgumentException($"Rule {rule.Id} ({rule.Kind}) needs '{name}'.");

    private static string Number(QualityRule rule, string value) =>
        long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n)
            ? n.ToString(CultureInfo.InvariantCulture)
            : throw new ArgumentException($"Rule {rule.Id}: length bound '{value}' is not a whole number.");

    /// <summary>A SQL string literal (rule parameters come from catalog definitions, and are quoted all the same).</summary>
    internal static string Literal(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    /// <summary>A quoted SQL identifier.</summary>
    internal static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>
    /// The aggregate that counts, in one scan, the rows each row-level rule checks and the rows that break it,
    /// and the rows each set rule checks (those with a complete key).
    /// </summary>
    internal static string AggregateSql(CompiledRules compiled, string sourceSql)
    {
        var select = new StringBuilder("count(*) AS __rows");
        for (var i = 0; i < compiled.RowRules.Count; i++)
        {
            var applies = compiled.RowRules[i].AppliesSql;
            // count(column) counts the non-NULL values without evaluating a condition per row.
            var checkedSql = applies == "true" ? "count(*)" : applies.StartsWith("((", StringComparison.Ordinal) || compiled.RowRules[i].Rule.Columns.Count != 1
                ? $"count_if({applies})"
                : $"count({Quote(compiled.RowRules[i].Rule.Columns[0])})";
            select.Append(CultureInfo.InvariantCulture, $", {checkedSql} AS __checked_{i}, count_if({compiled.RowRules[i].ViolatesSql}) AS __failed_{i}");
        }

        for (var i = 0; i < compiled.SetRules.Count; i++)
        {
            select.Append(CultureInfo.InvariantCulture, $", count_if({KeyPresent(compiled.SetRules[i])}) AS __set_checked_{i}");
        }

        return $"SELECT {select} FROM ({sourceSql}) __source";
    }

    /// <summary>
    /// True for rows a set rule looks at: all key columns present (or every row when NULLs are keys). A reconcile
    /// rule's key is its <c>on</c> columns (its other columns are the compared fields).
    /// </summary>
    internal static string KeyPresent(QualityRule rule) =>
        rule.Parameters.NullsAreKeys && rule.Kind != RuleKind.Reconcile
            ? "true"
            : "(" + string.Join(" AND ", (rule.Parameters.Reconcile?.KeyColumns ?? rule.Columns).Select(c => $"{Quote(c)} IS NOT NULL")) + ")";
}
