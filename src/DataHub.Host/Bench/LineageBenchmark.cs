using System.Diagnostics;
using System.Globalization;
using DataHub.Catalog.Lineage;
using DataHub.Catalog.Postgres;
using DataHub.Host.Platform;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace DataHub.Host.Bench;

/// <summary>
/// <c>datahub bench lineage</c>: generates a column lineage graph in a fresh database of the PostgreSQL in use (the
/// private cluster unless <c>DATAHUB_PG</c> is set; never the catalog's database), then times
/// <see cref="LineageStore.GetGraphAsync"/> walks up, down and both ways from random datasets and prints percentiles.
/// </summary>
/// <remarks>
/// The graph: tables of 20 columns in 50 layers; every column of a table below the first layer reads two random
/// columns of tables in the layer above (one IDENTITY, one TRANSFORMATION; one edge in ten masked).
/// </remarks>
public static class LineageBenchmark
{
    private const int ColumnsPerTable = 20;
    private const int Layers = 50;

    /// <summary>Runs the benchmark and prints its figures.</summary>
    /// <param name="settings">Where the private cluster lives (or the external server).</param>
    /// <param name="loggers">Logging for the cluster start.</param>
    /// <param name="nodes">Column nodes to generate.</param>
    /// <param name="queries">Timed walks per direction.</param>
    /// <param name="depth">Walk depth.</param>
    /// <param name="output">Where figures go.</param>
    /// <param name="ct">Cancels the run.</param>
    public static async Task<int> RunAsync(DataHubSettings settings, ILoggerFactory loggers, int nodes, int queries, int depth, TextWriter output, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(loggers);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentOutOfRangeException.ThrowIfLessThan(nodes, ColumnsPerTable * Layers * 2);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(depth, LineageStore.MaxDepth);

        await using var postgres = settings.PostgresConnectionString is null
            ? await PrivatePostgres.StartAsync(settings.PostgresDirectory, loggers.CreateLogger<PrivatePostgres>(), ct)
            : null;
        var server = postgres?.ConnectionString ?? settings.PostgresConnectionString!;
        var database = "datahub_bench_lineage_" + Guid.NewGuid().ToString("N")[..12];
        await ExecuteAsync(server, $"CREATE DATABASE {database}", ct);
        try
        {
            var connectionString = new NpgsqlConnectionStringBuilder(server) { Database = database }.ConnectionString;
            await using var dataSource = NpgsqlDataSource.Create(connectionString);
            await Migrator.ApplyAsync(dataSource, null, ct);
            var generate = Stopwatch.StartNew();
            var (tables, edges) = await GenerateAsync(dataSource, nodes, ct);
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"Generated {nodes:N0} column nodes ({tables:N0} tables × {ColumnsPerTable} columns in {Layers} layers) and {edges:N0} edges in database {database} in {generate.Elapsed.TotalSeconds:F1} s."));

            var store = new LineageStore(dataSource);
            var perLayer = tables / Layers;
            var random = new Random(42);
            foreach (var direction in new[] { LineageDirection.Up, LineageDirection.Down, LineageDirection.Both })
            {
                // Start far enough from the edge of the graph that a walk of this depth has room to go.
                string Pick() => TableName(direction == LineageDirection.Down
                    ? random.Next(0, perLayer * (Layers - depth))
                    : random.Next(perLayer * Math.Min(depth, Layers - 1), tables));
                for (var i = 0; i < Math.Min(20, queries); i++)
                {
                    await store.GetGraphAsync(Pick(), direction, depth, ct);
                }

                var times = new List<double>(queries);
                long nodeCount = 0;
                long edgeCount = 0;
                for (var i = 0; i < queries; i++)
                {
                    var start = Pick();
                    var stopwatch = Stopwatch.StartNew();
                    var graph = await store.GetGraphAsync(start, direction, depth, ct)
                        ?? throw new InvalidOperationException($"The generated graph has no table {start}.");
                    times.Add(stopwatch.Elapsed.TotalMilliseconds);
                    nodeCount += graph.Nodes.Count;
                    edgeCount += graph.Edges.Count;
                }

                times.Sort();
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"lineage {direction.ToString().ToLowerInvariant(),-4} depth {depth}: {queries} walks, p50 {BenchSupport.PercentileOfSorted(times, 0.50),7:F2} ms, p95 {BenchSupport.PercentileOfSorted(times, 0.95),7:F2} ms, p99 {BenchSupport.PercentileOfSorted(times, 0.99),7:F2} ms, max {times[^1],7:F2} ms; mean {nodeCount / (double)queries:F0} nodes, {edgeCount / (double)queries:F0} edges"));
            }

            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"({Environment.ProcessorCount} cores, PostgreSQL {(postgres is null ? "from DATAHUB_PG" : "private cluster " + postgres.ClusterDirectory)})"));
            return 0;
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await ExecuteAsync(server, $"DROP DATABASE IF EXISTS {database} WITH (FORCE)", CancellationToken.None);
        }
    }

    private static string TableName(int table) => string.Create(CultureInfo.InvariantCulture, $"bench.t{table:D6}");

    private static async Task<(int Tables, long Edges)> GenerateAsync(NpgsqlDataSource dataSource, int nodes, CancellationToken ct)
    {
        var tables = nodes / ColumnsPerTable;
        var perLayer = tables / Layers;
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var command = new NpgsqlCommand(
            """
            SELECT setseed(0.42);
            INSERT INTO datahub.lineage_run (run_id, job_namespace, job_name, state, started_at, ended_at)
            VALUES ('00000000-0000-7000-8000-000000000001', 'datahub', 'bench', 'COMPLETE', now(), now());
            INSERT INTO datahub.lineage_node (id, dataset, field)
            SELECT i, 'bench.t' || lpad(((i - 1) / @columns)::text, 6, '0'), 'c' || ((i - 1) % @columns)
            FROM generate_series(1, @tables * @columns) i;
            SELECT setval(pg_get_serial_sequence('datahub.lineage_node', 'id'), @tables * @columns);
            INSERT INTO datahub.column_lineage (output_node, input_node, type, subtype, masked, first_run, last_run)
            SELECT n.id,
                   (((n.id - 1) / @columns / @per_layer - 1) * @per_layer + floor(random() * @per_layer)::int) * @columns
                       + floor(random() * @columns)::int + 1,
                   'DIRECT', CASE k WHEN 1 THEN 'IDENTITY' ELSE 'TRANSFORMATION' END, random() < 0.1,
                   '00000000-0000-7000-8000-000000000001', '00000000-0000-7000-8000-000000000001'
            FROM datahub.lineage_node n CROSS JOIN generate_series(1, 2) k
            WHERE (n.id - 1) / @columns / @per_layer BETWEEN 1 AND @layers - 1
            ON CONFLICT DO NOTHING;
            ANALYZE datahub.lineage_node;
            ANALYZE datahub.column_lineage;
            """,
            connection)
        { CommandTimeout = 0 };
        command.Parameters.Add(new NpgsqlParameter<int>("columns", ColumnsPerTable));
        command.Parameters.Add(new NpgsqlParameter<int>("tables", tables));
        command.Parameters.Add(new NpgsqlParameter<int>("per_layer", perLayer));
        command.Parameters.Add(new NpgsqlParameter<int>("layers", Layers));
        await command.ExecuteNonQueryAsync(ct);
        await using var count = new NpgsqlCommand("SELECT count(*) FROM datahub.column_lineage", connection);
        return (tables, (long)(await count.ExecuteScalarAsync(ct))!);
    }

    private static async Task ExecuteAsync(string connectionString, string sql, CancellationToken ct)
    {
        // Database names are generated above from digits and a fixed prefix; DDL cannot take parameters.
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(ct);
    }
}
