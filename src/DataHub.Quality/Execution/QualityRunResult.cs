namespace DataHub.Quality.Execution;

/// <summary>A quality run over one table.</summary>
/// <param name="Rows">Rows scanned.</param>
/// <param name="Rules">Each rule's result, in the order given.</param>
/// <param name="Queries">How many queries the run issued (1 for all row rules, plus one per set rule, plus sample queries).</param>
public sealed record QualityRunResult(long Rows, IReadOnlyList<RuleResult> Rules, int Queries);
