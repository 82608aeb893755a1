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
        var gate = Gate(atLeast);
        return ViolationListSql(atLeast, i => gate[i].ViolatesSql);
    }

    /// <summary>The row-level rules of at least <paramref name="atLeast"/>, in rule order.</summary>
    public IReadOnlyList<CompiledRule> Gate(RuleSeverity atLeast) => RowRules.Where(r => r.Rule.Severity >= atLeast).ToList();

    /// <summary>
    /// Like <see cref="ViolationListSql(RuleSeverity)"/>, over conditions the caller computed before: <paramref name="violates"/>
    /// gives, for the i-th rule of <see cref="Gate"/>, the SQL telling whether the row breaks it (such as a column holding its
    /// <see cref="CompiledRule.ViolatesSql"/>).
    /// </summary>
    public string ViolationListSql(RuleSeverity atLeast, Func<int, string> violates)
    {
        ArgumentNullException.ThrowIfNull(violates);
        var gate = Gate(atLeast);
        return gate.Count == 0
            ? "CAST([] AS VARCHAR[])"
            : "list_filter([" + string.Join(", ", gate.Select((r, i) => $"CASE WHEN {violates(i)} THEN {RuleCompiler.Literal(r.Rule.Id)} END")) + "], x -> x IS NOT NULL)";
    }
}
