using System.Diagnostics;
using System.Globalization;
using DataHub.DuckDb;
using DataHub.Host.Platform;
using DataHub.Lake.Tables;

namespace DataHub.Host.Bench;

/// <summary>
/// <c>datahub bench lake-commit</c>: latency of lake commits on the private PostgreSQL and local disk — the
/// catalog transaction alone, and whole appends and merges including the Parquet write.
/// </summary>
public static class LakeCommitBenchmark
{
    /// <summary>Runs the benchmark in a throw-away data directory and prints its figures.</summary>
    public static async Task<int> RunAsync(int commits, int rowsPerCommit, DataHubPlatform platform, TextWriter output, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(platform);
        ArgumentNullException.ThrowIfNull(output);
        var tables = platform.Tables;
        var name = "bench.commit_" + DateTime.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
        await tables.CreateTableAsync(name, [new("id", "BIGINT"), new("value", "DOUBLE"), new("label", "VARCHAR")], ["id"], new LakeCommit("bench"), ct);
        using var duck = new DuckDbConnection("Data Source=:memory:");
        duck.Open();

        var appendTotal = new List<double>();
        var appendCommit = new List<double>();
        for (var i = 0; i < commits; i++)
        {
            var start = Stopwatch.GetTimestamp();
            var result = await tables.AppendAsync(duck, name,
                $"SELECT {i}::BIGINT * {rowsPerCommit} + r AS id, r * 0.5 AS value, 'label-' || r AS label FROM range({rowsPerCommit}) t(r)", new LakeCommit("bench"), ct);
            appendTotal.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            appendCommit.Add(result.CommitDuration.TotalMilliseconds);
        }

        var mergeTotal = new List<double>();
        var mergeCommit = new List<double>();
        for (var i = 0; i < commits; i++)
        {
            var start = Stopwatch.GetTimestamp();
            var result = await tables.MergeAsync(duck, name,
                $"SELECT ({i} * 7919 + r * 104729) % {(long)commits * rowsPerCommit} AS id, -1.0 AS value, 'merged' AS label FROM range(100) t(r)", new LakeCommit("bench"), ct);
            mergeTotal.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            mergeCommit.Add(result.CommitDuration.TotalMilliseconds);
        }

        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"""
            lake-commit: {commits} appends of {rowsPerCommit:N0} rows, then {commits} merges of 100 rows, table {name}
                                                      p50 ms    p95 ms
              append: catalog transaction          {P(appendCommit, 50),8:F2}  {P(appendCommit, 95),8:F2}
              append: whole (Parquet + commit)     {P(appendTotal, 50),8:F2}  {P(appendTotal, 95),8:F2}
              merge:  catalog transaction          {P(mergeCommit, 50),8:F2}  {P(mergeCommit, 95),8:F2}
              merge:  whole (rewrite + commit)     {P(mergeTotal, 50),8:F2}  {P(mergeTotal, 95),8:F2}
            """));
        return 0;
    }

    private static double P(List<double> values, int percentile)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Clamp((int)Math.Ceiling(percentile / 100.0 * sorted.Count) - 1, 0, sorted.Count - 1)];
    }
}
