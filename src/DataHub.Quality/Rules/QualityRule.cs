namespace DataHub.Quality.Rules;

/// <summary>
/// One quality rule bound to physical columns of one table. Catalog rules attached to an L5 attribute or a data
/// element become one of these per column they reach.
/// </summary>
/// <param name="Id">Unique within a run, such as <c>citizen_id.check_digit</c>.</param>
/// <param name="Kind">What it checks.</param>
/// <param name="Dimension">The GB/T 36344 dimension it scores.</param>
/// <param name="Severity">What a breach means.</param>
/// <param name="Columns">The columns it reads (one for column rules; the key for unique; none for expression).</param>
/// <param name="Parameters">Kind-specific settings.</param>
/// <param name="Threshold">How many failures are tolerated.</param>
public sealed record QualityRule(
    string Id,
    RuleKind Kind,
    QualityDimension Dimension,
    RuleSeverity Severity,
    IReadOnlyList<string> Columns,
    RuleParameters Parameters,
    RuleThreshold Threshold);
