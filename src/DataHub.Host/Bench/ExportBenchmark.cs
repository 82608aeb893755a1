using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using DataHub.DuckDb;
using DataHub.Exchange.Requests;
using DataHub.Host.Platform;
using DataHub.Host.Scheduling;
using DataHub.Lake.Tables;
using Microsoft.Extensions.Logging.Abstractions;

namespace DataHub.Host.Bench;

/// <summary>
/// <c>datahub bench export</c>: a grant over a generated table of water readings (every row inside its row filter,
/// account numbers hashed and addresses cut by the masks of grade 2) exported over HTTP as Parquet and as CSV, against
/// DuckDB's own COPY of the same masked view to a file, in one run. Prints throughput, the ratio and the process's
/// peak memory during the HTTP exports.
/// </summary>
public static class ExportBenchmark
{
    private const string Dataset = "water.meter_reading_daily";

    /// <summary>Runs the benchmark over a started platform in a scratch home.</summary>
    public static async Task<int> RunAsync(DataHubPlatform platform, long rows, int runs, TextWriter output, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(platform);
        ArgumentNullException.ThrowIfNull(output);
        var dataset = platform.Definitions.TryGetDataset(Dataset, out var d) ? d : throw new InvalidOperationException($"{Dataset} is not catalogued");
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"export: generating {rows:N0} rows of {Dataset} in the lake …"));
        var started = Stopwatch.GetTimestamp();
        await platform.Tables.CreateTableAsync(Dataset, [.. dataset.Columns.Select(c => new LakeColumnDefinition(c.Name, c.DataType))], null, new LakeCommit("bench"), ct);
        using (var duck = new DuckDbConnection("Data Source=:memory:"))
        {
            duck.Open();
            await platform.Tables.AppendAsync(duck, Dataset, string.Create(CultureInfo.InvariantCulture, $"""
                SELECT 'WS' || (340100000000 + i)::VARCHAR AS account_no,
                       'M' || (8800000 + i % 1000000)::VARCHAR AS meter_no,
                       DATE '2026-10-01' + (i % 30)::INTEGER AS reading_date,
                       CAST(100 + (i % 5000) / 7.0 AS DECIMAL(12,2)) AS reading_m3,
                       CAST((i % 300) / 100.0 AS DECIMAL(12,2)) AS usage_m3,
                       '安徽省合肥市' || ['瑶海区', '庐阳区', '蜀山区', '包河区'][1 + i % 4] || ['三里庵街道', '双岗街道', '方兴社区', '大兴镇'][1 + (i // 4) % 4]
                           || '长江西路' || (i % 997)::VARCHAR || '号' || (i % 31)::VARCHAR || '栋' AS address,
                       ['340102', '340103', '340104', '340111'][1 + i % 4] AS district_code
                FROM range({rows}) t(i)
                """), new LakeCommit("bench"), ct);
        }

        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"export: table ready in {Stopwatch.GetElapsedTime(started).TotalSeconds:F1} s"));

        var key = (await platform.Identity.CreateApiKeyAsync("gas", null, ["requester", "analyst"], TimeSpan.FromDays(1), "bench", ct)).Secret;
        var requester = new ExchangeActor("gas", "bench.requester", new HashSet<string> { "requester", "analyst" });
        var approver = new ExchangeActor("water", "bench.approver", new HashSet<string> { "approver" });
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var filed = await platform.Exchange.Requests.FileAsync(requester, new ExchangeRequestDraft(
            Dataset, [.. dataset.Columns.Select(c => c.Name)], [new RowFilter("district_code", "in", ["340102", "340103", "340104", "340111"])],
            "benchmark", "benchmark", "export", today.AddDays(-1), today.AddDays(1)), today, ct);
        var decided = await platform.Exchange.Requests.DecideAsync(approver, filed.RequestId, approve: true, "benchmark", ct);
        var grant = await platform.Exchange.Grants.GetAsync(decided.GrantId!.Value, ct) ?? throw new InvalidOperationException("no grant");
        var view = await platform.Exchange.Views.CompileAsync(grant, ct);
        await output.WriteLineAsync($"export: grant {grant.Id}, columns {string.Join(", ", view.Columns.Select(c => $"{c.Column}:{c.Rule.Kind.ToString().ToLowerInvariant()}"))}");

        using var runner = new PipelineRunner(platform, NullLoggerFactory.Instance);
        await using var server = await DataHubServer.StartAsync(platform, runner, scheduler: false, ct);
        using var http = new HttpClient { BaseAddress = new Uri(server.Addresses[0]), Timeout = Timeout.InfiniteTimeSpan };
        var scratch = Directory.CreateDirectory(Path.Combine(platform.Settings.Home, "bench-export")).FullName;

        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"""

            export of {rows:N0} rows, median of {runs} run(s) each{(runs > 1 ? ", runs alternate" : string.Empty)}
            format    DuckDB COPY to file        HTTP export (streamed)       HTTP/COPY    peak RSS during HTTP
            """));
        foreach (var format in new[] { "parquet", "csv" })
        {
            var copySeconds = new List<double>();
            var httpSeconds = new List<double>();
            long fileBytes = 0, httpBytes = 0, peak = 0;
            for (var run = 0; run < runs; run++)
            {
                var file = Path.Combine(scratch, "copy." + format);
                var start = Stopwatch.GetTimestamp();
                var copied = await Task.Run(() => platform.Exchange.Views.CopyToFile(view, format, file), ct);
                copySeconds.Add(Stopwatch.GetElapsedTime(start).TotalSeconds);
                fileBytes = new FileInfo(file).Length;
                File.Delete(file);
                if (copied != rows)
                {
                    throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"COPY wrote {copied} rows, not {rows}"));
                }

                BenchSupport.ResetPeak();
                start = Stopwatch.GetTimestamp();
                using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"/api/v1/exchange/grants/{grant.Id}/export?format={format}", UriKind.Relative));
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
                using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
                response.EnsureSuccessStatusCode();
                await using var body = await response.Content.ReadAsStreamAsync(ct);
                var buffer = new byte[1 << 16];
                long received = 0;
                int read;
                while ((read = await body.ReadAsync(buffer, ct)) > 0)
                {
                    received += read;
                }

                httpSeconds.Add(Stopwatch.GetElapsedTime(start).TotalSeconds);
                httpBytes = received;
                peak = Math.Max(peak, BenchSupport.PeakRss());
            }

            var copy = BenchSupport.Median(copySeconds);
            var served = BenchSupport.Median(httpSeconds);
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{format,-9} {copy,6:F2} s {rows / copy / 1e6,5:F2} M rows/s {fileBytes / 1e6,7:F0} MB   {served,6:F2} s {rows / served / 1e6,5:F2} M rows/s {httpBytes / 1e6,7:F0} MB   {copy / served,6:F2}×     {peak / 1048576.0,7:F0} MiB"));
        }

        var deliveries = await platform.Exchange.Delivery.ListDeliveriesAsync(grant.Id, ct);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"""

            HTTP/COPY is throughput over HTTP as a share of DuckDB's COPY of the same view (goal ≥ 0.80×).
            Peak RSS is this whole process (server, DuckDB and the discarding client), reset before each HTTP export.
            Recorded deliveries: {deliveries.Count}, e.g. {deliveries[0].Format} {deliveries[0].Rows:N0} rows, {deliveries[0].Bytes:N0} bytes, sha256 {deliveries[0].Sha256}
            """));
        return 0;
    }
}
