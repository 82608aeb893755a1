namespace DataHub.Quality.Rules;

/// <summary>The rules of one table, compiled.</summary>
/// <param name="RowRules">Rules decided row by row, all evaluated in one scan.</param>
/// <param name="SetRules">Unique, foreign-key and reconcile rules, each needing a grouping or a join.</param>
public sealed record CompiledRules(IReadOnlyList<CompiledRule> RowRules, IReadOnlyList<QualityRule> SetRules)
{
    /// <summary>
    /// The ingestion gate: the source's rows with a <c>__violations</c> column listing the ids of the row-level
    /// rules each row breaks (empty when none), for the pipeline to quarantine with its reasons.
    /// </summary>
    public string ViolationsSql(string sourceSql, RuleSeverity atLeast = RuleSeverity.Fail) =>
        $"SELECT *, {ViolationListSql(atLeast)} AS __violations FROM ({sourceSql}) __source";

    /// <summary>
    /// An expression listing the ids of the row-level rules (of at least <paramref name="atLeast"/>) the row breaks,
    /// in rule order; an empty list when none.
    /// </summary>
    public string ViolationListSql(RuleSeverity atLeast = RuleSeverity.Fail)
    {
        var gate = RowRules.Where(r => r.Rule.Severity >= atLeast).ToList();
        return gate.Count == 0
            ? "CAST([] AS VARCHAR[])"
            : "list_filter([" + string.Join(", ", gate.Select(r => $"CASE WHEN {r.ViolatesSql} THEN {RuleCompiler.Literal(r.Rule.Id)} END")) + "], x -> x IS NOT NULL)";
    }

    /// <summary>
    /// A condition true exactly when <see cref="ViolationListSql"/> is not empty, without building a list per row: a
    /// scan tests every row with it and lists the broken rules of the few rows that break one.
    /// </summary>
    public string AnyViolationSql(RuleSeverity atLeast = RuleSeverity.Fail)
    {
        var gate = RowRules.Where(r => r.Rule.Severity >= atLeast).ToList();
        return gate.Count == 0 ? "false" : string.Join(" OR ", gate.Select(r => $"({r.ViolatesSql})"));
    }
}
