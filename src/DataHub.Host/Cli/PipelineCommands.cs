using System.Globalization;
using DataHub.DuckDb;
using DataHub.Host.Platform;
using DataHub.Host.Scheduling;
using DataHub.Lake.Tables;
using DataHub.Pipelines.Ingest;
using DataHub.Pipelines.Runs;
using Microsoft.Extensions.Logging;

namespace DataHub.Host.Cli;

/// <summary><c>datahub pipeline</c>: validate, list, run, runs, show, quarantine, resubmit.</summary>
internal static class PipelineCommands
{
    public const string Help = """
        datahub pipeline validate [DIR]
        datahub pipeline list
        datahub pipeline run <id>
        datahub pipeline runs <id> [--limit <n>]
        datahub pipeline show <run>
        datahub pipeline quarantine <id> [--run <run>] [--out <file.csv>] [--limit <n>]
        datahub pipeline resubmit <id> <file.csv>

        validate    checks every definition in DIR (default pipelines/) — YAML, fields, and against the catalog
                    (department, target, mapped/key/partition columns, gate rule ids) — and lists every problem
                    as file:line: field 'x': problem; exit code 1 when any. Needs no database. A definition that
                    does not validate is never scheduled or run.
        list        the valid pipelines: target, schedule (Asia/Shanghai), source, write mode, last run
        run         runs one now (same lock as the scheduler: never twice at once), with progress (rows, bytes,
                    rate, ETA); prints read = committed + quarantined and the snapshot committed
        runs        a pipeline's runs, newest first: status, trigger, timings, counts, bytes, snapshot, error
        show        one run in full, with its first rejections (file, line, field, reason)
        quarantine  the pipeline's quarantined rows still open (lake table quarantine.rejected_rows): run, source
                    file, line, reason, original values; --out writes them as CSV with the source headers and a
                    __quarantine_id column, ready to correct and re-submit
        resubmit    sends a corrected CSV (as written by quarantine --out) through the pipeline — same mapping,
                    quality gate and write mode — and marks the ids it carries as resolved when it commits
        """;

    public static async Task<int> ValidateAsync(CommandLine options, TextWriter output, CancellationToken ct)
    {
        _ = ct;
        var root = DataHubSettings.FindRoot();
        var directory = options.Positional.Count > 1 ? Path.GetFullPath(options.Positional[1]) : Path.Combine(root, "pipelines");
        var catalog = DataHub.Catalog.CatalogDefinitions.Load(Path.Combine(root, "catalog"));
        var (valid, problems) = PipelineRunner.Load(root, catalog, directory);
        foreach (var pipeline in valid)
        {
            await output.WriteLineAsync($"ok       {pipeline.Name,-28} {Path.GetRelativePath(root, pipeline.SourceFile)} → {pipeline.Target}");
        }

        foreach (var problem in problems)
        {
            await output.WriteLineAsync($"invalid  {problem}");
        }

        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{valid.Count} valid, {problems.Count} problem(s) in {directory}"));
        return problems.Count == 0 ? 0 : 1;
    }

    public static async Task<int> RunAsync(DataHubPlatform platform, CommandLine options, TextWriter output, CancellationToken ct)
    {
        var action = options.Positional.Count > 0 ? options.Positional[0] : null;
        using var loggers = LoggerFactory.Create(_ => { });
        using var runner = new PipelineRunner(platform, loggers);
        var runs = new PipelineRunStore(platform.DataSource);
        switch (action)
        {
            case "list":
                var latest = await runs.LatestAsync(ct);
                foreach (var p in runner.Pipelines)
                {
                    var last = latest.GetValueOrDefault(p.Name);
                    var source = p.Source.Kind switch
                    {
                        DataHub.Pipelines.Definitions.SourceKind.File => $"file {(p.Source.Inbox is { } inbox ? $"inbox/{inbox}" : p.Source.Path)}/{p.Source.Pattern} ({p.Source.Format})",
                        DataHub.Pipelines.Definitions.SourceKind.Postgres => $"postgres {p.Source.Table ?? "query"}",
                        _ => $"http {p.Source.Url}",
                    };
                    await output.WriteLineAsync($"{p.Name,-28} {p.Target,-36} {p.Schedule ?? "on demand",-16} {p.Write.Mode.ToString().ToLowerInvariant(),-18} {source}");
                    await output.WriteLineAsync(last is null ? "    never run" : "    last: " + Summary(last));
                    var (sla, due) = await runs.SlaAsync(p, DateTimeOffset.Now, ct);
                    if (sla != SlaState.None)
                    {
                        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                            $"    sla {p.Sla:HH\\:mm} ({p.TimeZone}): {sla switch { SlaState.Late => "LATE", SlaState.OnTime => "on time", _ => "not due yet" }}{(due is { } d ? $" — this cycle's data due {TimeZoneInfo.ConvertTime(d, TimeZoneInfo.FindSystemTimeZoneById(p.TimeZone)):yyyy-MM-dd HH:mm}" : string.Empty)}"));
                    }
                }

                foreach (var problem in runner.Problems)
                {
                    await output.WriteLineAsync($"invalid  {problem}");
                }

                return 0;
            case "run" when options.Positional.Count == 2:
                var progress = new ConsoleProgress(output);
                IngestReport report;
                try
                {
                    report = await runner.RunAsync(options.Positional[1], ct, "manual", progress);
                }
                catch (Exception e) when (e is IngestRejectedException or PipelineBusyException)
                {
                    await output.WriteLineAsync($"datahub pipeline run: {e.Message}");
                    return 1;
                }

                progress.Finish();
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"run {report.RunId}: read {report.RowsRead:N0} = committed {report.RowsCommitted:N0} + quarantined {report.RowsQuarantined:N0}; {report.Files.Count} new input(s){(report.SnapshotId is { } s ? $"; snapshot {s} of {report.Dataset}" : string.Empty)}{(report.QuarantineSnapshotId is { } q ? $"; quarantine snapshot {q}" : string.Empty)}"));
                foreach (var rejection in report.Rejections.Take(10))
                {
                    await output.WriteLineAsync($"  quarantined {rejection.SourceFile}:{rejection.Line} {rejection.Field}: {rejection.Reason}");
                }

                return 0;
            case "runs" when options.Positional.Count == 2:
                runner.Get(options.Positional[1]);
                foreach (var run in await runs.ListAsync(options.Positional[1], options.PositiveNumber("limit", 20), ct))
                {
                    await output.WriteLineAsync(Summary(run));
                }

                return 0;
            case "show" when options.Positional.Count == 2:
                if (!long.TryParse(options.Positional[1], NumberStyles.None, CultureInfo.InvariantCulture, out var id))
                {
                    throw new ArgumentException($"'{options.Positional[1]}' is not a run id.");
                }

                var shown = await runs.GetAsync(id, ct) ?? throw new KeyNotFoundException($"There is no pipeline run {id}.");
                await output.WriteLineAsync(Summary(shown));
                await output.WriteLineAsync($"  host {shown.Host}; inputs {shown.FilesRead}; message: {shown.Message}");
                foreach (var rejection in await platform.Catalog.GetRejectionsAsync(id, 20, ct))
                {
                    await output.WriteLineAsync($"  quarantined {rejection.SourceFile}:{rejection.Line} {rejection.Field}: {rejection.Reason}");
                }

                return 0;
            case "quarantine" when options.Positional.Count == 2:
                return await QuarantineAsync(platform, runner, options, output, ct);
            case "resubmit" when options.Positional.Count == 3:
                var file = Path.GetFullPath(options.Positional[2]);
                if (!File.Exists(file))
                {
                    throw new FileNotFoundException($"{file} does not exist.");
                }

                var ids = QuarantineRows.ReadQuarantineIds(file);
                var resubmitted = await runner.ResubmitAsync(options.Positional[1], file, ids, ct);
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"run {resubmitted.RunId}: re-submitted {resubmitted.RowsRead:N0} row(s): committed {resubmitted.RowsCommitted:N0}, quarantined again {resubmitted.RowsQuarantined:N0}; {ids.Count} quarantine id(s) resolved"));
                return 0;
            default:
                await output.WriteLineAsync(Help);
                return 2;
        }
    }

    private static string Summary(PipelineRun r) => string.Create(CultureInfo.InvariantCulture,
        $"#{r.Id,-5} {r.Pipeline} {r.Status,-9} {r.Trigger,-8} attempt {r.Attempt} {r.StartedAt.ToLocalTime():yyyy-MM-dd HH:mm:ss} {(r.Seconds is { } s ? $"{s,6:F1}s" : "   …  ")} read {r.RowsRead ?? 0:N0} = committed {r.RowsCommitted ?? 0:N0} + quarantined {r.RowsQuarantined ?? 0:N0}, {r.BytesRead ?? 0:N0} bytes{(r.SnapshotId is { } snap ? $", snapshot {snap}" : string.Empty)}{(r.Status is "failed" or "abandoned" ? $" — {r.Message}" : string.Empty)}");

    private static async Task<int> QuarantineAsync(DataHubPlatform platform, PipelineRunner runner, CommandLine options, TextWriter output, CancellationToken ct)
    {
        var pipeline = runner.Get(options.Positional[1]);
        var runFilter = options.Value("run") is { } run
            ? long.TryParse(run, NumberStyles.None, CultureInfo.InvariantCulture, out var r) ? r : throw new ArgumentException($"--run takes a run id, not '{run}'.")
            : (long?)null;
        if (!await platform.Tables.ExistsAsync(PipelineIngestor.QuarantineTable, ct))
        {
            await output.WriteLineAsync($"{pipeline.Name}: nothing quarantined.");
            return 0;
        }

        var (open, resolved) = await QuarantineRows.ReadOpenAsync(platform, pipeline.Name, runFilter, ct);
        var limit = options.PositiveNumber("limit", 50);
        foreach (var row in open.Take(limit))
        {
            await output.WriteLineAsync($"{row.Id,-12} {row.File}:{row.Line}  {row.Reason}\n             {row.Original}");
        }

        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{open.Count:N0} open quarantined row(s) of {pipeline.Name} ({resolved:N0} re-submitted)"));
        if (options.Value("out") is { } outFile)
        {
            QuarantineRows.WriteCorrectionCsv(Path.GetFullPath(outFile), [.. open.Select(o => (o.Id, (IReadOnlyDictionary<string, string?>)QuarantineRows.ParseOriginal(o.Original)))]);
            await output.WriteLineAsync($"written to {Path.GetFullPath(outFile)}: correct the values, keep __quarantine_id, then 'datahub pipeline resubmit {pipeline.Name} <file>'");
        }

        return 0;
    }

    /// <summary>Rows, bytes, rate and ETA on one line, rewritten at most twice a second.</summary>
    private sealed class ConsoleProgress(TextWriter output) : IProgress<IngestProgress>
    {
        private long _last;
        private bool _shown;

        public void Report(IngestProgress value)
        {
            var now = Environment.TickCount64;
            if (now - Interlocked.Read(ref _last) < 500)
            {
                return;
            }

            Interlocked.Exchange(ref _last, now);
            _shown = true;
            lock (output)
            {
                output.Write(string.Create(CultureInfo.InvariantCulture,
                    $"\r  {value.Input}: {value.Rows:N0} rows, {value.Bytes / 1048576.0:F1}/{value.TotalBytes / 1048576.0:F1} MB, {value.BytesPerSecond / 1048576.0:F1} MB/s, ETA {(value.Eta is { } eta ? eta.ToString(@"hh\:mm\:ss", CultureInfo.InvariantCulture) : "—")}   "));
            }
        }

        public void Finish()
        {
            if (_shown)
            {
                output.WriteLine();
            }
        }
    }
}
