using DataHub.Exchange.Identity;
using DataHub.Host.Auth;
using DataHub.Host.Platform;
using DataHub.Lake;
using DataHub.Quality.Service;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DataHub.Host.Api;

/// <summary><c>/api/v1/quality</c>: run a dataset's rules, its run history, one run's results.</summary>
public static class QualityApi
{
    /// <summary>Maps the endpoints.</summary>
    public static IEndpointRouteBuilder MapQualityApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/quality").WithTags("Quality");
        group.MapPost("/{dataset}/runs", RunAsync).WithName("RunQuality")
            .WithSummary("Checks the dataset's current lake snapshot against its rules (one scan) and stores the results. bureau_admin.")
            .RequireAuthorization(ExchangeRoles.BureauAdmin);
        group.MapGet("/{dataset}/runs", HistoryAsync).WithName("QualityHistory")
            .WithSummary("The dataset's stored quality runs with their scores per GB/T 36344 dimension, newest first.")
            .RequireAuthorization(ExchangeAuth.Caller);
        group.MapGet("/departments", DepartmentsAsync).WithName("QualityDepartments")
            .WithSummary("Departments ranked by the mean of their datasets' latest overall quality scores, with per-dimension means.")
            .RequireAuthorization(ExchangeAuth.Caller);
        group.MapGet("/runs/{id:long}", GetRunAsync).WithName("QualityRun")
            .WithSummary("One stored quality run: scores, and per rule the checked and failed counts, outcome and (masked) samples.")
            .RequireAuthorization(ExchangeAuth.Caller);
        return app;
    }

    private static QualityService Service(DataHubPlatform platform) => QualityServiceFactory.Create(platform);

    private static async Task<Ok<IReadOnlyList<DepartmentScore>>> DepartmentsAsync(DataHubPlatform platform, CancellationToken ct) =>
        TypedResults.Ok(await Service(platform).DepartmentScoresAsync(null, ct));

    private static async Task<Results<Created<QualityRunDetail>, ProblemHttpResult>> RunAsync(string dataset, DataHubPlatform platform, CancellationToken ct)
    {
        // Theme tables (catalog/themes) are checked like datasets too.
        if (!LakeStorage.IsTableName(dataset) || (!platform.Definitions.TryGetDataset(dataset, out _) && platform.Themes.Datasets.All(d => d.Name != dataset)))
        {
            return TypedResults.Problem($"The catalog has no dataset '{dataset}'.", statusCode: StatusCodes.Status404NotFound, title: "Unknown dataset");
        }

        if (!await platform.Tables.ExistsAsync(dataset, ct))
        {
            return TypedResults.Problem($"{dataset} has no data in the lake yet.", statusCode: StatusCodes.Status409Conflict, title: "No data");
        }

        try
        {
            var service = Service(platform);
            var (run, _) = await service.RunAsync(dataset, ct);
            var stored = await service.GetRunAsync(run.Id, ct);
            return TypedResults.Created($"/api/v1/quality/runs/{run.Id}", new QualityRunDetail(stored!.Value.Run, stored.Value.Rules));
        }
        catch (KeyNotFoundException e)
        {
            return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status409Conflict, title: "No rules");
        }
    }

    private static async Task<Results<Ok<IReadOnlyList<QualityRunRecord>>, ProblemHttpResult>> HistoryAsync(string dataset, DataHubPlatform platform, CancellationToken ct, int limit = 24)
    {
        if (limit is < 1 or > 500)
        {
            return TypedResults.Problem("limit must be between 1 and 500.", statusCode: StatusCodes.Status400BadRequest, title: "Invalid limit");
        }

        return TypedResults.Ok(await Service(platform).HistoryAsync(dataset, limit, ct));
    }

    private static async Task<Results<Ok<QualityRunDetail>, ProblemHttpResult>> GetRunAsync(long id, DataHubPlatform platform, CancellationToken ct) =>
        await Service(platform).GetRunAsync(id, ct) is { } stored
            ? TypedResults.Ok(new QualityRunDetail(stored.Run, Masked(platform, stored.Run.Dataset, stored.Rules)))
            : TypedResults.Problem($"There is no quality run {id}.", statusCode: StatusCodes.Status404NotFound, title: "Unknown run");

    /// <summary>
    /// The rules with their failing-row samples masked as the bulletin masks them (values longer than four characters
    /// keep two at each end) from sensitivity level 2; a dataset no longer catalogued counts as level 4.
    /// </summary>
    internal static IReadOnlyList<QualityRuleRecord> Masked(DataHubPlatform platform, string dataset, IReadOnlyList<QualityRuleRecord> rules) =>
        (platform.Definitions.TryGetDataset(dataset, out var definition) ? definition.Sensitivity : 4) >= 2
            ? [.. rules.Select(r => r with { Samples = [.. r.Samples.Select(QualityService.Mask)] })]
            : rules;

}
