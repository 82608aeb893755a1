using DataHub.Quality.Service;

namespace DataHub.Host.Api;

/// <summary>A stored quality run with its rule results.</summary>
/// <param name="Run">The run and its scores.</param>
/// <param name="Rules">Each rule's result.</param>
public sealed record QualityRunDetail(QualityRunRecord Run, IReadOnlyList<QualityRuleRecord> Rules);
