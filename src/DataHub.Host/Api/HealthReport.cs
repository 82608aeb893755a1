namespace DataHub.Host.Api;

/// <summary>The health answer.</summary>
/// <param name="Status"><c>ok</c> or <c>degraded</c>.</param>
/// <param name="Postgres"><c>ok</c> or why not.</param>
/// <param name="DuckDb">The loaded DuckDB library version.</param>
public sealed record HealthReport(string Status, string Postgres, string DuckDb);
