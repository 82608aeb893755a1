using DataHub.Exchange.Identity;
using DataHub.Host.Platform;
using DataHub.Host.Scheduling;
using DataHub.Pipelines.Ingest;
using DataHub.Pipelines.Runs;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DataHub.Host.Api;

/// <summary>A pipeline as listed over HTTP.</summary>
/// <param name="Name">Id.</param>
/// <param name="Department">Owner department.</param>
/// <param name="Target">Target dataset.</param>
/// <param name="Schedule">Quartz cron (time zone below), or null for on demand.</param>
/// <param name="TimeZone">The schedule's time zone.</param>
/// <param name="Source">file, postgres or http.</param>
/// <param name="WriteMode">append, merge or overwrite_partition.</param>
/// <param name="LastRun">The latest run, if any.</param>
/// <param name="Sla">none, not_due, on_time or late: whether this cycle's data arrived by the SLA time.</param>
/// <param name="SlaDeadline">This cycle's deadline, when there is an SLA.</param>
public sealed record PipelineSummary(string Name, string Department, string Target, string? Schedule, string TimeZone, string Source, string WriteMode, PipelineRun? LastRun, string Sla, DateTimeOffset? SlaDeadline);

/// <summary>The pipelines and the definitions left out.</summary>
/// <param name="Pipelines">The valid pipelines.</param>
/// <param name="Problems">Each problem of an invalid definition, as file:line: field: problem.</param>
public sealed record PipelineList(IReadOnlyList<PipelineSummary> Pipelines, IReadOnlyList<string> Problems);

/// <summary><c>/api/v1/pipelines</c>: list, run now, runs, one run.</summary>
public static class PipelinesApi
{
    /// <summary>Maps the endpoints.</summary>
    public static IEndpointRouteBuilder MapPipelinesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/pipelines").WithTags("Pipelines");
        group.MapGet("/", ListAsync).WithName("ListPipelines")
            .WithSummary("The valid pipelines with their schedule, source, write mode and last run; and every problem of the definitions left out.");
        group.MapPost("/{name}/runs", RunAsync).WithName("RunPipeline")
            .WithSummary("Runs the pipeline now (never twice at once: 409 while it runs elsewhere; 422 when its quality gate fails the run). bureau_admin.")
            .RequireAuthorization(ExchangeRoles.BureauAdmin);
        group.MapGet("/{name}/runs", RunsAsync).WithName("PipelineRuns")
            .WithSummary("The pipeline's runs, newest first: status, trigger, timings, rows read/committed/quarantined, bytes, snapshot, error. bureau_admin.")
            .RequireAuthorization(ExchangeRoles.BureauAdmin);
        group.MapGet("/runs/{id:long}", GetRunAsync).WithName("PipelineRun").WithSummary("One pipeline run (with quarantined rows' reasons). bureau_admin.")
            .RequireAuthorization(ExchangeRoles.BureauAdmin);
        return app;
    }

    private static async Task<Ok<PipelineList>> ListAsync(DataHubPlatform platform, PipelineRunner runner, CancellationToken ct)
    {
        var store = new PipelineRunStore(platform.DataSource);
        var latest = await store.LatestAsync(ct);
        var summaries = new List<PipelineSummary>();
        foreach (var p in runner.Pipelines)
        {
            var (sla, deadline) = await store.SlaAsync(p, DateTimeOffset.UtcNow, ct);
            summaries.Add(new PipelineSummary(p.Name, p.Department, p.Target, p.Schedule, p.TimeZone, p.Source.Kind.ToString().ToLowerInvariant(),
                p.Write.Mode switch { DataHub.Pipelines.Definitions.WriteMode.Merge => "merge", DataHub.Pipelines.Definitions.WriteMode.OverwritePartition => "overwrite_partition", _ => "append" },
                latest.GetValueOrDefault(p.Name),
                sla switch { SlaState.Late => "late", SlaState.OnTime => "on_time", SlaState.NotDue => "not_due", _ => "none" }, deadline));
        }

        return TypedResults.Ok(new PipelineList(summaries, runner.Problems));
    }

    private static async Task<Results<Created<PipelineRun>, ProblemHttpResult>> RunAsync(string name, DataHubPlatform platform, PipelineRunner runner, CancellationToken ct)
    {
        if (runner.Pipelines.All(p => p.Name != name))
        {
            return TypedResults.Problem($"There is no valid pipeline '{name}'.", statusCode: StatusCodes.Status404NotFound, title: "Unknown pipeline");
        }

        try
        {
            var report = await runner.RunAsync(name, ct, "api");
            var run = await new PipelineRunStore(platform.DataSource).GetAsync(report.RunId, ct);
            return TypedResults.Created($"/api/v1/pipelines/runs/{report.RunId}", run);
        }
        catch (PipelineBusyException e)
        {
            return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status409Conflict, title: "Already running");
        }
        catch (IngestRejectedException e)
        {
            return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status422UnprocessableEntity, title: "Quality gate failed the run");
        }
        catch (IngestException e)
        {
            return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status422UnprocessableEntity, title: "Run failed");
        }
    }

    private static async Task<Results<Ok<IReadOnlyList<PipelineRun>>, ProblemHttpResult>> RunsAsync(string name, DataHubPlatform platform, PipelineRunner runner, CancellationToken ct, int limit = 20)
    {
        if (limit is < 1 or > 500)
        {
            return TypedResults.Problem("limit must be between 1 and 500.", statusCode: StatusCodes.Status400BadRequest, title: "Invalid limit");
        }

        return runner.Pipelines.All(p => p.Name != name)
            ? TypedResults.Problem($"There is no valid pipeline '{name}'.", statusCode: StatusCodes.Status404NotFound, title: "Unknown pipeline")
            : TypedResults.Ok(await new PipelineRunStore(platform.DataSource).ListAsync(name, limit, ct));
    }

    private static async Task<Results<Ok<PipelineRun>, NotFound>> GetRunAsync(long id, DataHubPlatform platform, CancellationToken ct) =>
        await new PipelineRunStore(platform.DataSource).GetAsync(id, ct) is { } run ? TypedResults.Ok(run) : TypedResults.NotFound();
}
