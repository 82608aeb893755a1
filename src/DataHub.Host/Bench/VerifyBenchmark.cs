using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using DataHub.Catalog.Audit;
using DataHub.DuckDb;
using DataHub.Exchange.Requests;
using DataHub.Host.Platform;
using DataHub.Host.Scheduling;
using DataHub.Lake.Tables;
using Microsoft.Extensions.Logging.Abstractions;

namespace DataHub.Host.Bench;

/// <summary>
/// <c>datahub bench verify</c>: a population table of <c>--rows</c> generated people in the lake, a verification grant
/// on it (name masked, sex, birth date), and the running server loaded with random known and unknown ID numbers by
/// DataHub's own open-loop generator (<c>datahub bench load</c>, a process of its own; or autocannon from npm): first at
/// a fixed offered rate (default 2,000 requests/s, 100 connections), then unthrottled with 100 connections, then one
/// connection in turn. Prints latency percentiles, throughput, errors, where the audit wait goes, the CPU per answer of
/// the server, PostgreSQL and the load, the GC and the process's peak memory.
/// </summary>
public static class VerifyBenchmark
{
    private const string Dataset = "population.household_registration";

    /// <summary>Runs the benchmark over a started platform in a scratch home.</summary>
    /// <param name="platform">The started platform.</param>
    /// <param name="rows">People generated.</param>
    /// <param name="rate">The fixed offered rate.</param>
    /// <param name="seconds">Seconds of the fixed-rate run.</param>
    /// <param name="connections">Connections of the load.</param>
    /// <param name="generator"><c>open</c> (DataHub's own open-loop generator, a process of its own) or <c>autocannon</c> (npm).</param>
    /// <param name="output">Where the figures go.</param>
    /// <param name="ct">Stops the run.</param>
    public static async Task<int> RunAsync(DataHubPlatform platform, long rows, int rate, int seconds, int connections, string generator, TextWriter output, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(platform);
        ArgumentNullException.ThrowIfNull(output);
        var dataset = platform.Definitions.TryGetDataset(Dataset, out var d) ? d : throw new InvalidOperationException($"{Dataset} is not catalogued");
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"verify: generating {rows:N0} people in {Dataset} …"));
        var started = Stopwatch.GetTimestamp();
        await platform.Tables.CreateTableAsync(Dataset, [.. dataset.Columns.Select(c => new LakeColumnDefinition(c.Name, c.DataType))], null, new LakeCommit("bench"), ct);
        var idsFile = Path.Combine(platform.Settings.Home, "verify-ids.txt");
        using (var duck = new DuckDbConnection("Data Source=:memory:"))
        {
            duck.Open();
            var people = string.Create(CultureInfo.InvariantCulture, $"""
                WITH s AS (
                    SELECT i, ['340102', '340103', '340104', '340111', '340121', '340122'][1 + i % 6]
                              || strftime(DATE '1930-01-01' + (i % 30000)::INTEGER, '%Y%m%d') || lpad((i // 30000 % 1000)::VARCHAR, 3, '0') AS first17
                    FROM range({rows}) t(i)
                )
                SELECT i, {BenchSupport.WithCitizenCheck("first17")} AS id
                FROM s
                """);
            var select = SelectList(dataset);
            var append = $"SELECT {select} FROM ({people})";
            await platform.Tables.AppendAsync(duck, Dataset, append, new LakeCommit("bench"), ct);
            // 90% of the lookups are of people in the table, 10% of valid numbers that are not (people past the last row).
            var path = idsFile.Replace("'", "''", StringComparison.Ordinal);
            var strangers = people.Replace(string.Create(CultureInfo.InvariantCulture, $"range({rows})"), string.Create(CultureInfo.InvariantCulture, $"range({rows}, {rows + 20_000})"), StringComparison.Ordinal);
            duck.Execute($"""
                COPY (SELECT id FROM (SELECT id FROM ({people}) USING SAMPLE 180000 ROWS UNION ALL SELECT id FROM ({strangers})) ORDER BY hash(id))
                TO '{path}' (FORMAT csv, HEADER false)
                """);
        }

        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"verify: table ready in {Stopwatch.GetElapsedTime(started).TotalSeconds:F1} s"));
        var analyst = (await platform.Identity.CreateApiKeyAsync("gas", null, ["requester", "analyst"], TimeSpan.FromDays(1), "bench", ct)).Secret;
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var requests = platform.Exchange.Requests;
        var filed = await requests.FileAsync(new ExchangeActor("gas", "bench.requester", new HashSet<string> { "requester" }),
            new ExchangeRequestDraft(Dataset, ["name", "sex", "birth_date"], [], "benchmark", "benchmark", "verify", today.AddDays(-1), today.AddDays(1)), today, ct);
        await requests.DecideAsync(new ExchangeActor("police", "bench.approver", new HashSet<string> { "approver" }), filed.RequestId, approve: true, "benchmark", ct);
        var granted = await requests.DecideAsync(new ExchangeActor("bureau", "bench.admin", new HashSet<string> { "bureau_admin" }), filed.RequestId, approve: true, "benchmark", ct);

        using var runner = new PipelineRunner(platform, NullLoggerFactory.Instance);
        await using var server = await DataHubServer.StartAsync(platform, runner, scheduler: false, ct);
        var baseUrl = server.Addresses[0];
        using (var http = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromMinutes(10) })
        {
            var first = File.ReadLines(idsFile).First();
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"/api/v1/exchange/verify/citizen/{first}", UriKind.Relative));
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", analyst);
            var indexing = Stopwatch.GetTimestamp();
            using var response = await http.SendAsync(request, ct);
            response.EnsureSuccessStatusCode();
            var answer = await response.Content.ReadAsStringAsync(ct);
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"verify: grant {granted.GrantId}; first lookup (builds the lookup index of {rows:N0} rows) {Stopwatch.GetElapsedTime(indexing).TotalSeconds:F1} s: {answer}"));
        }

        var warm = await LoadAsync(generator, baseUrl, analyst, idsFile, connections, 5, rate, ct);
        BenchSupport.ResetPeak();
        var pausedBefore = GC.GetTotalPauseDuration();
        int[] collectionsBefore = [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];
        var audit = platform.Exchange.AuditWriter;
        long[] auditBefore = [audit.Waits.Count, audit.Queued.Count, audit.Commits.Count, audit.WakeUps.Count, audit.BatchSizes.Count];
        var serverCpu = Environment.CpuUsage.TotalTime;
        var postgresCpu = BenchSupport.CpuOfProcesses("postgres");
        var fixedRate = await LoadAsync(generator, baseUrl, analyst, idsFile, connections, seconds, rate, ct);
        serverCpu = Environment.CpuUsage.TotalTime - serverCpu;
        postgresCpu = BenchSupport.CpuOfProcesses("postgres") - postgresCpu;
        var answered = Math.Max(1, fixedRate.GetProperty("requests").GetInt64());
        var generatorCpu = fixedRate.TryGetProperty("cpuMs", out var g) ? g.GetDouble() : double.NaN;
        var cpu = string.Create(CultureInfo.InvariantCulture,
            $"CPU per answer during the fixed-rate run: server {serverCpu.TotalMicroseconds / answered:F0} µs, PostgreSQL {postgresCpu.TotalMicroseconds / answered:F0} µs, load generator {generatorCpu * 1000 / answered:F0} µs (the machine has {Environment.ProcessorCount} cores: {(serverCpu + postgresCpu).TotalSeconds + generatorCpu / 1000:F1} CPU-s used of {seconds * Environment.ProcessorCount} available).");
        var auditPhases = string.Join("\n", new (string Name, SampleRing Ring, long Since)[]
        {
            ("an answer's wait for its audit record, in all", audit.Waits, auditBefore[0]),
            ("  queued until its batch started", audit.Queued, auditBefore[1]),
            ("  its batch's round trip and commit", audit.Commits, auditBefore[2]),
            ("  from the commit to the answer going on", audit.WakeUps, auditBefore[3]),
        }.Select(p => "    " + Distribution(p.Ring.Since(p.Since), " ms") + "  " + p.Name)
            .Append("    " + Distribution(audit.BatchSizes.Since(auditBefore[4]), string.Empty) + "  entries per batch"));
        var peak = BenchSupport.PeakRss();
        var paused = GC.GetTotalPauseDuration() - pausedBefore;
        var collections = string.Join(" / ", Enumerable.Range(0, 3).Select(g => (GC.CollectionCount(g) - collectionsBefore[g]).ToString(CultureInfo.InvariantCulture)));
        var open = await LoadAsync(generator, baseUrl, analyst, idsFile, connections, Math.Max(5, seconds / 2), null, ct);
        var single = await LoadAsync(generator, baseUrl, analyst, idsFile, 1, 5, null, ct);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"""

            verification lookups on {rows:N0} people (90% known, 10% unknown valid numbers), {Describe(generator)}, {connections} connections
                                         requests      req/s     p50 ms   p90 ms   p99 ms  p99.9 ms   max ms  non-2xx errors
            warm-up  {rate,5}/s offered   {Line(warm)}
            fixed    {rate,5}/s offered   {Line(fixedRate)}
            unthrottled                {Line(open)}
            one connection, in turn    {Line(single)}

            p99 at {rate:N0} requests/s offered: {fixedRate.GetProperty("latency").GetProperty("p99").GetDouble():F1} ms (goal < 10 ms); highest throughput with {connections} connections: {open.GetProperty("rps").GetDouble():N0} requests/s.
            {cpu}
            The audit writer during the fixed-rate run (p50 / p90 / p99 / max; per answer, batch sizes per batch):
            {auditPhases}
            During the fixed-rate run the server's garbage collector ran gen0 / gen1 / gen2 {collections} times and paused it {paused.TotalMilliseconds:N0} ms in all.
            Peak RSS of this process (server, DuckDB, lookup index) during the fixed-rate run: {peak / 1048576.0:N0} MiB. Every lookup is audited (group commit).
            """));
        return 0;
    }

    private static string SelectList(DataHub.Catalog.DatasetDefinition dataset) =>
        string.Join(", ", dataset.Columns.Select(c => c.Name switch
        {
            "citizen_id" => "id AS citizen_id",
            "name" => "['张', '王', '李', '赵', '刘', '陈'][1 + i % 6] || ['伟', '芳', '娜', '敏', '静', '强'][1 + i // 6 % 6] AS name",
            "sex" => "CASE WHEN i % 2 = 0 THEN '1' ELSE '2' END AS sex",
            "birth_date" => "strptime(substr(id, 7, 8), '%Y%m%d')::DATE AS birth_date",
            _ => "CAST(NULL AS " + c.DataType + ") AS \"" + c.Name + "\"",
        }));

    private static string Line(JsonElement r)
    {
        var l = r.GetProperty("latency");
        var lag = r.TryGetProperty("lag", out var g) && g.GetProperty("max").GetDouble() > 0
            ? string.Create(CultureInfo.InvariantCulture, $"   sent late p50 {g.GetProperty("p50").GetDouble():F1} p99 {g.GetProperty("p99").GetDouble():F1} ms")
            : string.Empty;
        if (r.TryGetProperty("server", out var server) && server.GetProperty("max").GetDouble() > 0)
        {
            lag += string.Create(CultureInfo.InvariantCulture, $"   server p50 {server.GetProperty("p50").GetDouble():F2} p99 {server.GetProperty("p99").GetDouble():F2} ms");
        }

        return string.Create(CultureInfo.InvariantCulture,
            $"{r.GetProperty("requests").GetInt64(),10:N0} {r.GetProperty("rps").GetDouble(),10:N0} {l.GetProperty("p50").GetDouble(),8:F1} {l.GetProperty("p90").GetDouble(),8:F1} {l.GetProperty("p99").GetDouble(),8:F1} {l.GetProperty("p999").GetDouble(),9:F1} {l.GetProperty("max").GetDouble(),8:F1} {r.GetProperty("non2xx").GetInt64(),8} {r.GetProperty("errors").GetInt64() + r.GetProperty("timeouts").GetInt64(),6}{lag}");
    }

    private static string Distribution(double[] samples, string unit)
    {
        Array.Sort(samples);
        return samples.Length == 0
            ? "(none)"
            : string.Create(CultureInfo.InvariantCulture,
                $"{BenchSupport.PercentileOfSorted(samples, 0.50),6:F2} / {BenchSupport.PercentileOfSorted(samples, 0.90),6:F2} / {BenchSupport.PercentileOfSorted(samples, 0.99),6:F2} / {samples[^1],6:F2}{unit}");
    }

    private static string Describe(string generator) => generator == "autocannon"
        ? "autocannon (its rate is a per-second quota per connection: each second starts with a burst)"
        : "open-loop load (requests evenly spaced, latency from each request's due time)";

    private static async Task<JsonElement> LoadAsync(string generator, string baseUrl, string key, string ids, int connections, int seconds, int? rate, CancellationToken ct)
    {
        ProcessStartInfo start;
        if (generator == "autocannon")
        {
            start = new ProcessStartInfo("node");
            start.ArgumentList.Add(Path.Combine(DataHubSettings.FindRoot(), "scripts", "bench-verify.mjs"));
            foreach (var argument in new[] { baseUrl, key, ids, connections.ToString(CultureInfo.InvariantCulture), seconds.ToString(CultureInfo.InvariantCulture) })
            {
                start.ArgumentList.Add(argument);
            }

            if (rate is { } r)
            {
                start.ArgumentList.Add(r.ToString(CultureInfo.InvariantCulture));
            }
        }
        else
        {
            // This executable again (the apphost, or dotnet with the assembly), as a process of its own with workstation GC.
            var self = Environment.ProcessPath ?? throw new InvalidOperationException("the path of this executable is unknown");
            start = new ProcessStartInfo(self);
            if (Path.GetFileNameWithoutExtension(self) == "dotnet")
            {
                start.ArgumentList.Add(typeof(LoadGenerator).Assembly.Location);
            }

            foreach (var argument in LoadGenerator.Arguments(baseUrl, "/api/v1/exchange/verify/citizen/", ids, connections, seconds, rate))
            {
                start.ArgumentList.Add(argument);
            }

            start.Environment[LoadGenerator.KeyVariable] = key;
            start.Environment["DOTNET_gcServer"] = "0";
            start.Environment["DOTNET_ThreadPool_UnfairSemaphoreSpinLimit"] = "0";
        }

        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{start.FileName} could not be started");
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"the load ({generator}) failed (exit {process.ExitCode}): {await stderr}");
        }

        using var json = JsonDocument.Parse((await stdout).Trim().Split('\n')[^1]);
        return json.RootElement.Clone();
    }
}
