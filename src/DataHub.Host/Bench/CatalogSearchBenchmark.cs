using System.Diagnostics;
using System.Globalization;
using DataHub.Catalog;
using DataHub.Catalog.Postgres;
using DataHub.Host.Platform;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace DataHub.Host.Bench;

/// <summary>
/// <c>datahub bench catalog-search</c>: catalog search over a large generated architecture (default 100,000 L5
/// attributes plus the repository catalog) in a fresh database of the private cluster; prints p50/p95 per query
/// and overall, and a plain sequential ILIKE scan over the same rows for comparison.
/// </summary>
public static class CatalogSearchBenchmark
{
    /// <summary>The queries measured: two-character Chinese, single characters, longer names, English codes, no hit.</summary>
    public static readonly IReadOnlyList<string> Queries =
        ["户籍", "地址", "号码", "户", "证件号码", "登记机关", "燃气户号", "公民身份号码", "标准地址", "citizen", "e123", "不存在的词"];

    // What a search without the n-gram index has to do: read every row and test the substring.
    private const string SequentialSql = """
        SELECT code, name FROM datahub.subject_node
        WHERE (code || ' ' || name || ' ' || coalesce(description, '')) ILIKE '%' || @q || '%'
        ORDER BY (lower(name) = lower(@q)) DESC, starts_with(lower(name), lower(@q)) DESC, char_length(name), code
        LIMIT 20
        """;

    /// <summary>Runs the benchmark and prints its figures.</summary>
    public static async Task<int> RunAsync(
        DataHubSettings settings, ILoggerFactory loggers, int attributes, int runs, bool keep, TextWriter output, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(output);
        await using var platform = await DataHubPlatform.StartAsync(settings, loggers, ct);
        var database = string.Create(CultureInfo.InvariantCulture, $"datahub_bench_search_{Environment.ProcessId}");
        await ExecuteAsync(platform.DataSource, $"CREATE DATABASE {database}", ct);
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(platform.DataSource.ConnectionString) { Database = database };
            await using var dataSource = NpgsqlDataSource.Create(builder.ConnectionString);
            await Migrator.ApplyAsync(dataSource, null, ct);
            await CatalogLoader.ApplyAsync(dataSource, platform.Definitions, null, ct);
            var started = Stopwatch.GetTimestamp();
            var nodes = await SyntheticArchitecture.GenerateAsync(dataSource, attributes, ct);
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"Generated {nodes:N0} nodes ({attributes:N0} L5 attributes) in database {database} in {Stopwatch.GetElapsedTime(started).TotalSeconds:F1} s; {runs} run(s) per query."));

            var store = new CatalogStore(dataSource);
            foreach (var query in Queries)
            {
                await store.SearchAsync(query, 20, ct);
            }

            await output.WriteLineAsync();
            await output.WriteLineAsync("query          hits(≤20)  matches   p50 ms   p95 ms   max ms   sequential ILIKE p50 ms");
            var all = new List<double>();
            foreach (var query in Queries)
            {
                var times = new List<double>(runs);
                var hits = 0;
                for (var run = 0; run < runs; run++)
                {
                    var start = Stopwatch.GetTimestamp();
                    hits = (await store.SearchAsync(query, 20, ct)).Count;
                    times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                }

                var sequential = new List<double>();
                for (var run = 0; run < Math.Min(runs, 10); run++)
                {
                    var start = Stopwatch.GetTimestamp();
                    await ExecuteAsync(dataSource, SequentialSql, ct, query);
                    sequential.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                }

                all.AddRange(times);
                var matches = await CountMatchesAsync(dataSource, query, ct);
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{query,-12}\t{hits,5}  {matches,9:N0}  {BenchSupport.Percentile(times, 0.50),7:F2}  {BenchSupport.Percentile(times, 0.95),7:F2}  {times.Max(),7:F2}   {BenchSupport.Percentile(sequential, 0.50),7:F2}"));
            }

            await output.WriteLineAsync();
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"catalog-search: {attributes:N0} L5 attributes, {all.Count} searches, {Environment.ProcessorCount} cores: p50 {BenchSupport.Percentile(all, 0.50):F2} ms, p95 {BenchSupport.Percentile(all, 0.95):F2} ms, max {all.Max():F2} ms"));
            NpgsqlConnection.ClearAllPools();
            return 0;
        }
        finally
        {
            if (keep)
            {
                await output.WriteLineAsync($"Kept database {database}.");
            }
            else
            {
                NpgsqlConnection.ClearAllPools();
                await ExecuteAsync(platform.DataSource, $"DROP DATABASE IF EXISTS {database} WITH (FORCE)", CancellationToken.None);
            }
        }
    }

    private static async Task<long> CountMatchesAsync(NpgsqlDataSource dataSource, string query, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT count(*) FROM datahub.subject_node WHERE strpos(lower(code || ' ' || name || ' ' || coalesce(description, '')), lower($1)) > 0");
        command.Parameters.Add(new NpgsqlParameter<string> { Value = query });
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }

    // The database name is generated above from the process id, never from input.
    private static async Task ExecuteAsync(NpgsqlDataSource dataSource, string sql, CancellationToken ct, string? query = null)
    {
        await using var command = dataSource.CreateCommand(sql);
        if (query is not null)
        {
            command.Parameters.Add(new NpgsqlParameter<string>("q", query));
        }

        await command.ExecuteNonQueryAsync(ct);
    }
}
