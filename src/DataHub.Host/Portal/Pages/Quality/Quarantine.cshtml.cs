using System.Globalization;
using DataHub.Exchange.Identity;
using DataHub.Host.Platform;
using DataHub.Host.Scheduling;
using DataHub.Pipelines.Ingest;
using Microsoft.AspNetCore.Mvc;

namespace DataHub.Host.Portal.Pages.Quality;

/// <summary>
/// The quarantine browser: a pipeline's open rejected rows with file, line and reason; a corrected row is re-submitted
/// through the same pipeline (mapping, typing and quality gate) and resolved when it commits. For the bureau and the
/// pipeline's own department's approvers — the rows hold the department's original values.
/// </summary>
public sealed class QuarantineModel(DataHubPlatform platform, PipelineRunner runner) : PortalPage(platform)
{
    /// <summary>The pipelines the user may browse.</summary>
    public IReadOnlyList<string> Pipelines { get; private set; } = [];

    /// <summary>The chosen pipeline.</summary>
    public string? Pipeline { get; private set; }

    /// <summary>Its open rows (first 100).</summary>
    public IReadOnlyList<QuarantinedRow> Open { get; private set; } = [];

    /// <summary>All open rows.</summary>
    public int OpenCount { get; private set; }

    /// <summary>Rows re-submitted already.</summary>
    public int Resolved { get; private set; }

    /// <summary>The outcome of a re-submission.</summary>
    public string? Outcome { get; private set; }

    /// <summary>A re-submission's error.</summary>
    public string? Error { get; private set; }

    /// <summary>Lists.</summary>
    public async Task<IActionResult> OnGetAsync(string? pipeline, CancellationToken ct) => await LoadAsync(pipeline, ct);

    /// <summary>Re-submits one corrected row.</summary>
    public async Task<IActionResult> OnPostAsync(string? pipeline, string? id, CancellationToken ct)
    {
        var loaded = await LoadAsync(pipeline, ct);
        if (loaded is not Microsoft.AspNetCore.Mvc.RazorPages.PageResult || Pipeline is null)
        {
            return loaded;
        }

        var row = (await QuarantineRows.ReadOpenAsync(Platform, Pipeline, null, ct)).Open.FirstOrDefault(r => r.Id == id);
        if (row is null)
        {
            Error = $"{id}: not an open quarantined row of {Pipeline}";
            Response.StatusCode = StatusCodes.Status404NotFound;
            return Page();
        }

        // The corrected values come from the form, one field per original header; nothing else is read.
        var original = QuarantineRows.ParseOriginal(row.Original);
        var corrected = original.Keys.ToDictionary(k => k, k => (string?)Request.Form["v:" + k].ToString(), StringComparer.Ordinal);
        var folder = Path.Combine(Platform.Settings.Home, "tmp");
        Directory.CreateDirectory(folder);
        var file = Path.Combine(folder, $"resubmit-{Guid.NewGuid():N}.csv");
        try
        {
            QuarantineRows.WriteCorrectionCsv(file, [(row.Id, corrected)]);
            var report = await runner.ResubmitAsync(Pipeline, file, [row.Id], ct);
            Outcome = string.Create(CultureInfo.InvariantCulture,
                $"run {report.RunId}: read {report.RowsRead} = committed {report.RowsCommitted} + quarantined {report.RowsQuarantined}");
        }
        catch (IngestException e)
        {
            Error = e.Message;
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        }
        finally
        {
            System.IO.File.Delete(file);
        }

        await LoadAsync(Pipeline, ct);
        return Page();
    }

    private async Task<IActionResult> LoadAsync(string? pipeline, CancellationToken ct)
    {
        var department = Actor.Department;
        Pipelines = [.. runner.Pipelines.Where(p => IsAdmin || (Has(ExchangeRoles.Approver) && p.Department == department)).Select(p => p.Name)];
        if (Pipelines.Count == 0)
        {
            return Forbid();
        }

        Pipeline = pipeline is not null && Pipelines.Contains(pipeline) ? pipeline : null;
        if (Pipeline is not null)
        {
            var (open, resolved) = await QuarantineRows.ReadOpenAsync(Platform, Pipeline, null, ct);
            OpenCount = open.Count;
            Open = [.. open.Take(100)];
            Resolved = resolved;
        }

        return Page();
    }
}
