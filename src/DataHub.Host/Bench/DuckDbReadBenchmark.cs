using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using DataHub.DuckDb;
using DataHub.Host.Platform;

namespace DataHub.Host.Bench;

/// <summary>
/// <c>datahub bench duckdb-read</c>: the same query over the same DuckDB file, read through DataHub's ADO.NET
/// reader and through the official Node client, every value touched on both sides; prints rows/s and the ratio.
/// </summary>
public static class DuckDbReadBenchmark
{
    private const string Query = "SELECT id, value, label FROM t";

    /// <summary>Runs the benchmark and prints its figures.</summary>
    public static async Task<int> RunAsync(int rows, int runs, TextWriter output, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(output);
        var directory = Directory.CreateTempSubdirectory("datahub-bench-").FullName;
        try
        {
            var database = Path.Combine(directory, "bench.duckdb");
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Preparing {rows:N0} rows of (BIGINT, DOUBLE, VARCHAR) in {database} …"));
            using (var setup = new DuckDbConnection($"Data Source={database}"))
            {
                setup.Open();
                using var create = setup.CreateCommand();
                create.CommandText = "CREATE TABLE t AS SELECT i AS id, i * 1.5 AS value, 'label-' || i AS label FROM range($rows) r(i)";
                create.Parameters.Add("rows", (long)rows);
                create.ExecuteNonQuery();
            }

            var script = Path.Combine(AppContext.BaseDirectory, "bench", "node-read.mjs");
            var ours = new List<double>();
            var node = new List<double>();
            for (var run = 0; run < runs; run++)
            {
                ct.ThrowIfCancellationRequested();
                ours.Add(ReadWithDataHub(database, rows));
                node.Add(await ReadWithNodeAsync(script, database, rows, ct));
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"  run {run + 1}: DataHub {ours[^1]:F3} s, Node {node[^1]:F3} s"));
            }

            var oursMedian = BenchSupport.Median(ours);
            var nodeMedian = BenchSupport.Median(node);
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"""

                duckdb-read: {rows:N0} rows, median of {runs} run(s), DuckDB {DuckDbConnection.NativeLibraryVersion}, {Environment.ProcessorCount} cores
                  DataHub.DuckDb reader   {rows / oursMedian,14:N0} rows/s   ({oursMedian:F3} s)
                  @duckdb/node-api        {rows / nodeMedian,14:N0} rows/s   ({nodeMedian:F3} s)
                  ratio DataHub / Node    {nodeMedian / oursMedian,14:F2} x
                """));
            return 0;
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static double ReadWithDataHub(string database, long expectedRows)
    {
        using var connection = new DuckDbConnection($"Data Source={database};Access Mode=READ_ONLY");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = Query;
        var stopwatch = Stopwatch.StartNew();
        long rows = 0;
        long idSum = 0;
        double valueSum = 0;
        long textLength = 0;
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                if (!reader.IsDBNull(0))
                {
                    idSum += reader.GetInt64(0);
                }

                if (!reader.IsDBNull(1))
                {
                    valueSum += reader.GetDouble(1);
                }

                if (!reader.IsDBNull(2))
                {
                    textLength += reader.GetString(2).Length;
                }

                rows++;
            }
        }

        var seconds = stopwatch.Elapsed.TotalSeconds;
        if (rows != expectedRows || idSum != expectedRows * (expectedRows - 1) / 2 || valueSum <= 0 || textLength <= 0)
        {
            throw new InvalidOperationException($"DataHub read {rows} rows (id sum {idSum}); expected {expectedRows}.");
        }

        return seconds;
    }

    private static async Task<double> ReadWithNodeAsync(string script, string database, long expectedRows, CancellationToken ct)
    {
        var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(script);
        start.ArgumentList.Add(database);
        start.ArgumentList.Add(Query);
        // node resolves @duckdb/node-api from the repository's node_modules.
        start.Environment["NODE_PATH"] = Path.Combine(DataHubSettings.FindRoot(), "node_modules");
        using var process = Process.Start(start) ?? throw new InvalidOperationException("node could not be started; install Node.js and run 'npm ci'.");
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"The Node client failed (exit {process.ExitCode}): {await stderr}");
        }

        using var json = JsonDocument.Parse(await stdout);
        var rows = json.RootElement.GetProperty("rows").GetInt64();
        return rows == expectedRows
            ? json.RootElement.GetProperty("seconds").GetDouble()
            : throw new InvalidOperationException($"The Node client read {rows} rows; expected {expectedRows}.");
    }
}
