using System.Diagnostics;
using System.Globalization;
using DataHub.Catalog;
using DataHub.Host.Platform;
using DataHub.Host.Portal;
using DataHub.Host.Scheduling;
using Microsoft.Extensions.Logging;

namespace DataHub.Host.Bench;

/// <summary>
/// <c>datahub bench portal</c>: in a throw-away data directory, the household registration and water samples ingested
/// with a quality run, <c>attributes</c> generated L5 attributes (default 100,000) added to the catalog, the server
/// started and a signed-in session asking for the portal's pages over loopback. Prints, per page, time to the first
/// byte and to the last byte (p50/p95/p99/max), which bound the server-side render from above. Goal: the dataset
/// page under 300 ms.
/// </summary>
public static class PortalBenchmark
{
    /// <summary>The dataset whose page is the goal.</summary>
    public const string Dataset = "population.household_registration";

    /// <summary>Runs the benchmark and prints its figures.</summary>
    public static async Task<int> RunAsync(DataHubPlatform platform, ILoggerFactory loggers, int attributes, int runs, TextWriter output, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(platform);
        ArgumentNullException.ThrowIfNull(output);
        var started = Stopwatch.GetTimestamp();
        using var runner = new PipelineRunner(platform, loggers);
        foreach (var pipeline in new[] { "population_household_registration", "water_meter_daily" })
        {
            var report = await runner.RunAsync(pipeline, ct);
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{pipeline}: run {report.RunId} committed {report.RowsCommitted:N0}, quarantined {report.RowsQuarantined:N0}"));
        }

        var quality = QualityServiceFactory.Create(platform);
        await quality.RunAsync(Dataset, ct);
        await quality.RunAsync("water.meter_reading_daily", ct);
        var nodes = await SyntheticArchitecture.GenerateAsync(platform.DataSource, attributes, ct);
        await using (var count = platform.DataSource.CreateCommand("SELECT count(*) FROM datahub.subject_node WHERE level = 5"))
        {
            var l5 = (long)(await count.ExecuteScalarAsync(ct))!;
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"Catalog: {nodes:N0} generated nodes, {l5:N0} L5 attributes in all; set up in {Stopwatch.GetElapsedTime(started).TotalSeconds:F1} s; {runs} request(s) per page after 5 warm-up."));
        }

        var password = DemoUsers.NewPassword();
        await DemoUsers.EnsureAsync(platform, password, "bench", ct);
        var signIn = await platform.Identity.SignInAsync("bureau.admin", password, PortalSession.Lifetime, "127.0.0.1", ct);
        var key = signIn.Key?.Secret ?? throw new InvalidOperationException("bench: the administrator could not sign in: " + signIn.Failure);
        await using var server = await DataHubServer.StartAsync(platform, runner, scheduler: false, ct);
        using var http = new HttpClient { BaseAddress = new Uri(server.Addresses[0]) };
        http.DefaultRequestHeaders.Add("Cookie", $"{PortalSession.CookieName}={key}");

        string[] pages =
        [
            $"/datasets/{Dataset}",
            $"/datasets/{Dataset}?direction=both&hops=3",
            "/datasets/water.meter_reading_daily",
            "/",
            "/search?q=%E6%88%B7%E7%B1%8D",
            "/tree",
            "/quality",
        ];
        await output.WriteLineAsync();
        await output.WriteLineAsync("page                                                                bytes   first byte p50/p95/p99 ms   last byte p50/p95/p99/max ms");
        var goal = double.NaN;
        foreach (var page in pages)
        {
            var first = new List<double>(runs);
            var last = new List<double>(runs);
            long bytes = 0;
            for (var i = -5; i < runs; i++)
            {
                var start = Stopwatch.GetTimestamp();
                using var response = await http.GetAsync(new Uri(page, UriKind.Relative), HttpCompletionOption.ResponseHeadersRead, ct);
                var headers = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                if (!response.IsSuccessStatusCode || response.RequestMessage?.RequestUri?.AbsolutePath == "/login")
                {
                    throw new InvalidOperationException($"bench: GET {page} answered {(int)response.StatusCode}");
                }

                var body = await response.Content.ReadAsByteArrayAsync(ct);
                var done = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                if (i >= 0)
                {
                    first.Add(headers);
                    last.Add(done);
                    bytes = body.Length;
                }
            }

            if (page == pages[0])
            {
                goal = BenchSupport.Percentile(last, 0.99);
            }

            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{page,-66} {bytes,8:N0}   {BenchSupport.Percentile(first, 0.50),6:F1} {BenchSupport.Percentile(first, 0.95),6:F1} {BenchSupport.Percentile(first, 0.99),6:F1}        {BenchSupport.Percentile(last, 0.50),6:F1} {BenchSupport.Percentile(last, 0.95),6:F1} {BenchSupport.Percentile(last, 0.99),6:F1} {last.Max(),6:F1}"));
        }

        await output.WriteLineAsync();
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"portal: dataset page p99 {goal:F1} ms to the last byte with {attributes:N0} generated L5 attributes, {Environment.ProcessorCount} cores (goal: < 300 ms)"));
        return 0;
    }
}
