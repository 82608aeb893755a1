using DataHub.Exchange.Identity;
using DataHub.Host.Platform;
using DataHub.Host.Scheduling;
using DataHub.Pipelines.Definitions;
using DataHub.Pipelines.Ingest;
using DataHub.Pipelines.Runs;
using Microsoft.AspNetCore.Mvc;

namespace DataHub.Host.Portal.Pages;

/// <summary>Pipelines: schedule, target, last run, SLA; administrators run one now.</summary>
public sealed class PipelinesModel(DataHubPlatform platform, PipelineRunner runner) : PortalPage(platform)
{
    /// <summary>The valid pipelines.</summary>
    public IReadOnlyList<PipelineDefinition> All => runner.Pipelines;

    /// <summary>Definitions left out, with why.</summary>
    public IReadOnlyList<string> Problems => [.. runner.Problems.Select(p => p.ToString() ?? string.Empty)];

    /// <summary>Each pipeline's newest run.</summary>
    public IReadOnlyDictionary<string, PipelineRun> Latest { get; private set; } = new Dictionary<string, PipelineRun>();

    /// <summary>Each pipeline's arrival state.</summary>
    public Dictionary<string, SlaState> Sla { get; } = new(StringComparer.Ordinal);

    /// <summary>The outcome of a run started here.</summary>
    public string? Outcome { get; private set; }

    /// <summary>Lists.</summary>
    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    /// <summary>Runs a pipeline now (bureau_admin).</summary>
    public async Task<IActionResult> OnPostRunAsync(string? name, CancellationToken ct)
    {
        if (!Has(ExchangeRoles.BureauAdmin))
        {
            return Forbid();
        }

        if (name is null || runner.Pipelines.All(p => p.Name != name))
        {
            return NotFound();
        }

        try
        {
            var report = await runner.RunAsync(name, ct, "portal");
            Outcome = $"{name}: run {report.RunId} read {report.RowsRead:N0} = committed {report.RowsCommitted:N0} + quarantined {report.RowsQuarantined:N0}";
        }
        catch (Exception e) when (e is PipelineBusyException or IngestException)
        {
            Outcome = $"{name}: {e.Message}";
            Response.StatusCode = e is PipelineBusyException ? StatusCodes.Status409Conflict : StatusCodes.Status422UnprocessableEntity;
        }

        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        var store = new PipelineRunStore(Platform.DataSource);
        Latest = await store.LatestAsync(ct);
        foreach (var p in runner.Pipelines)
        {
            Sla[p.Name] = (await store.SlaAsync(p, DateTimeOffset.UtcNow, ct)).State;
        }
    }
}
