using System.Globalization;
using DataHub.Host.Platform;
using DataHub.Quality.Service;

namespace DataHub.Host.Cli;

/// <summary>The <c>quality</c> verbs: run a dataset's rules, show its history.</summary>
internal static class QualityCommands
{
    public const string Help = """
        datahub quality run <dataset> | --all
        datahub quality history <dataset>
        datahub quality departments
        datahub quality report [--month YYYY-MM]

        run       checks the dataset's current lake snapshot against every rule of catalog/rules that reaches it
                  (all row rules in one scan), prints each rule's checked/failed counts, outcome and samples, the
                  scores per GB/T 36344 dimension, and stores the run
        history   the dataset's stored runs with their scores, newest first
        report    the monthly bulletin (数据质量通报) under $DATAHUB_HOME/reports/YYYY-MM/: bulletin.html (self-contained,
                  ECharts inlined) and bulletin.pdf (printed by headless Chromium: DATAHUB_CHROMIUM or /usr/bin/chromium):
                  overall score and 12-month trend, department ranking with change since last month, scores by
                  dimension, worst rules with masked examples, datasets that missed their update cycle, problems
                  carried over from last month
        departments  departments ranked by their datasets' latest overall scores (weights: catalog/quality.yaml)
        """;

    public static async Task<int> RunAsync(DataHubPlatform platform, CommandLine options, TextWriter output, CancellationToken ct)
    {
        var action = options.Positional.Count > 0 ? options.Positional[0] : null;
        var service = QualityServiceFactory.Create(platform);
        switch (action)
        {
            case "run" when options.Has("all") || options.Positional.Count == 2:
                var datasets = options.Has("all") ? await service.CheckableDatasetsAsync(ct) : [options.Positional[1]];
                foreach (var dataset in datasets)
                {
                    var (run, result) = await service.RunAsync(dataset, ct);
                    await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                        $"{dataset}: run {run.Id} over snapshot {run.SnapshotId}, {run.RowsScanned:N0} rows, {result.Rules.Count} rules in {result.Queries} queries"));
                    foreach (var r in result.Rules)
                    {
                        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                            $"  {r.Outcome.ToString().ToLowerInvariant(),-5} {r.Rule.Id,-40} {r.Failed,8:N0} of {r.Checked,10:N0} failed  [{r.Rule.Dimension.ToString().ToLowerInvariant()}]{(r.Detail is null ? string.Empty : "  " + r.Detail)}"));
                        foreach (var sample in r.Samples)
                        {
                            await output.WriteLineAsync("        e.g. " + sample);
                        }
                    }

                    await output.WriteLineAsync("  scores: " + string.Join(", ", run.Scores.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Key} {s.Value:F1}"))));
                }

                return 0;
            case "report":
                var month = options.Value("month") ?? DateTime.UtcNow.ToString("yyyy-MM", CultureInfo.InvariantCulture);
                if (!DateTime.TryParseExact(month, "yyyy-MM", CultureInfo.InvariantCulture, DateTimeStyles.None, out var first))
                {
                    throw new ArgumentException($"--month takes YYYY-MM, not '{month}'.");
                }

                var written = await DataHub.Host.Reports.BulletinWriter.WriteAsync(platform, first.Year, first.Month, ct);
                var bulletin = written.Bulletin;
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"Bulletin {bulletin.Month}: overall {bulletin.Overall?.ToString("F1", CultureInfo.InvariantCulture) ?? "—"}, {bulletin.Departments.Count} department(s), {bulletin.WorstRules.Count} breached rule(s) → {written.Html}, {written.Pdf}"));
                return 0;
            case "departments":
                foreach (var d in await service.DepartmentScoresAsync(null, ct))
                {
                    await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                        $"{d.Rank,3}. {d.Name} ({d.Department}): {d.Overall:F1} over {d.Datasets} dataset(s) — {string.Join(", ", d.Dimensions.Select(x => $"{x.Key} {x.Value:F1}"))}"));
                }

                return 0;
            case "history" when options.Positional.Count == 2:
                foreach (var run in await service.HistoryAsync(options.Positional[1], ct: ct))
                {
                    await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                        $"#{run.Id,-5} {run.StartedAt.ToLocalTime():yyyy-MM-dd HH:mm}  snapshot {run.SnapshotId,-6} {run.RowsScanned,10:N0} rows  overall {run.Scores.GetValueOrDefault(QualityScores.Overall):F1}"));
                }

                return 0;
            default:
                await output.WriteLineAsync(Help);
                return 2;
        }
    }
}
