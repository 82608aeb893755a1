using DataHub.DuckDb;
using DataHub.Host.Platform;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DataHub.Host.Api;

/// <summary><c>GET /health</c>: PostgreSQL answers and DuckDB is loaded.</summary>
public static class HealthApi
{
    /// <summary>Maps the endpoint.</summary>
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health", CheckAsync).WithName("Health").WithSummary("Liveness: PostgreSQL reachable, DuckDB loaded.").WithTags("System");
        return app;
    }

    private static async Task<Results<Ok<HealthReport>, JsonHttpResult<HealthReport>>> CheckAsync(DataHubPlatform platform, CancellationToken ct)
    {
        string postgres;
        try
        {
            await using var command = platform.DataSource.CreateCommand("SELECT 1");
            await command.ExecuteScalarAsync(ct);
            postgres = "ok";
        }
        catch (Npgsql.NpgsqlException e)
        {
            postgres = "unreachable: " + e.Message;
        }

        var report = new HealthReport(postgres == "ok" ? "ok" : "degraded", postgres, DuckDbConnection.NativeLibraryVersion);
        return postgres == "ok" ? TypedResults.Ok(report) : TypedResults.Json(report, statusCode: StatusCodes.Status503ServiceUnavailable);
    }
}
