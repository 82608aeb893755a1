namespace DataHub.Quality.Service;

/// <summary>One rule's stored result.</summary>
/// <param name="RuleId">The rule (suffixed <c>@column</c> for attribute and element rules).</param>
/// <param name="Kind">What it checked.</param>
/// <param name="Dimension">GB/T 36344 dimension.</param>
/// <param name="Severity">warn or fail.</param>
/// <param name="Checked">Rows checked.</param>
/// <param name="Failed">Rows failing.</param>
/// <param name="Outcome">pass, warn or fail.</param>
/// <param name="Detail">Extra figures.</param>
/// <param name="Samples">Failing rows (capped).</param>
public sealed record QualityRuleRecord(
    string RuleId, string Kind, string Dimension, string Severity, long Checked, long Failed, string Outcome, string? Detail, IReadOnlyList<string> Samples);
