using DataHub.Quality.Rules;

namespace DataHub.Quality.Definitions;

/// <summary>A quality rule as declared in <c>catalog/rules/*.yaml</c>, before it is bound to columns.</summary>
/// <param name="Id">Unique across all rule files.</param>
/// <param name="Target">What it is attached to.</param>
/// <param name="Kind">What it checks.</param>
/// <param name="Dimension">The GB/T 36344 dimension it scores.</param>
/// <param name="Severity">warn or fail (a GB 32100 check digit defaults to warn, every other rule to fail).</param>
/// <param name="Columns">For unique: the key columns (dataset rules).</param>
/// <param name="Parameters">Kind-specific settings.</param>
/// <param name="Threshold">Tolerated failures.</param>
/// <param name="Source">File and line, for error messages and reports.</param>
public sealed record RuleDefinition(
    string Id,
    RuleTarget Target,
    RuleKind Kind,
    QualityDimension Dimension,
    RuleSeverity Severity,
    IReadOnlyList<string> Columns,
    RuleParameters Parameters,
    RuleThreshold Threshold,
    string Source);
