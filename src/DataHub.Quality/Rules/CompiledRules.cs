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
    public string ViolationsSql(string sourceSql, RuleSeverity atLeast = RuleSeverity.Fail)
    {
        var gate = RowRules.Where(r => r.Rule.Severity >= atLeast).ToList();
        var list = gate.Count == 0
            ? "CAST([] AS VARCHAR[])"
            : "list_filter([" + string.Join(", ", gate.Select(r => $"CASE WHEN {r.ViolatesSql} THEN {RuleCompiler.Literal(r.Rule.Id)} END")) + "], x -> x IS NOT NULL)";
        return $"SELECT *, {list} AS __violations FROM ({sourceSql}) __source";
    }
}
