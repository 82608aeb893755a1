using System.Text.Json.Nodes;
using Npgsql;
using NpgsqlTypes;

namespace DataHub.Catalog.Lineage;

/// <summary>
/// Lineage in the catalog database: runs and their OpenLineage events, and the column lineage graph that completed
/// runs recorded. The graph is walked breadth-first, one indexed query per level, so a walk costs as many round trips
/// as its depth and touches only the columns it reaches.
/// </summary>
public sealed class LineageStore
{
    /// <summary>The deepest walk <see cref="GetGraphAsync"/> accepts.</summary>
    public const int MaxDepth = 10;

    /// <summary>A walk stops after the level at which it has reached this many columns (see <see cref="LineageGraph.Truncated"/>).</summary>
    public const int MaxNodes = 10_000;

    private readonly NpgsqlDataSource _dataSource;

    /// <summary>Creates a store over a migrated catalog database.</summary>
    /// <param name="dataSource">The catalog database.</param>
    public LineageStore(NpgsqlDataSource dataSource)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        _dataSource = dataSource;
    }

    /// <summary>
    /// Records one event of a run in one transaction: the run's state, the event as emitted and, for a COMPLETE
    /// event, the run's column lineage (new dependencies added, known ones marked as seen again by this run).
    /// </summary>
    /// <param name="run">The run.</param>
    /// <param name="eventType">The transition.</param>
    /// <param name="eventTime">When it happened.</param>
    /// <param name="payload">The OpenLineage event as emitted.</param>
    /// <param name="ct">Cancels the work; nothing is recorded then.</param>
    public async Task RecordAsync(LineageRun run, LineageEventType eventType, DateTimeOffset eventTime, JsonObject payload, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(payload);
        var state = OpenLineageEventBuilder.EventTypeName(eventType);
        var terminal = eventType is LineageEventType.Complete or LineageEventType.Fail or LineageEventType.Abort;
        await using var connection = await _dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using (var command = new NpgsqlCommand(
            """
            INSERT INTO datahub.lineage_run (run_id, job_namespace, job_name, state, started_at, ended_at)
            VALUES (@run, @namespace, @job, @state, @time, CASE WHEN @terminal THEN @time END)
            ON CONFLICT (run_id) DO UPDATE SET state = EXCLUDED.state,
                ended_at = coalesce(EXCLUDED.ended_at, datahub.lineage_run.ended_at);
            INSERT INTO datahub.lineage_event (run_id, event_type, event_time, payload) VALUES (@run, @state, @time, @payload);
            """,
            connection,
            transaction))
        {
            command.Parameters.Add(new NpgsqlParameter<Guid>("run", run.RunId));
            command.Parameters.Add(new NpgsqlParameter<string>("namespace", run.JobNamespace));
            command.Parameters.Add(new NpgsqlParameter<string>("job", run.JobName));
            command.Parameters.Add(new NpgsqlParameter<string>("state", state));
            command.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("time", eventTime.ToUniversalTime()));
            command.Parameters.Add(new NpgsqlParameter<bool>("terminal", terminal));
            command.Parameters.Add(new NpgsqlParameter<string>("payload", payload.ToJsonString()) { NpgsqlDbType = NpgsqlDbType.Jsonb });
            await command.ExecuteNonQueryAsync(ct);
        }

        if (eventType == LineageEventType.Complete && run.Edges.Count > 0)
        {
            await AddEdgesAsync(connection, transaction, run, ct);
        }

        await transaction.CommitAsync(ct);
    }

    private static async Task AddEdgesAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, LineageRun run, CancellationToken ct)
    {
        foreach (var edge in run.Edges)
        {
            foreach (var column in new[] { edge.Input, edge.Output })
            {
                if (!LineageDatasetName.IsValid(column.Dataset) || string.IsNullOrEmpty(column.Field))
                {
                    throw new ArgumentException($"Column lineage of run {run.RunId} names an invalid column '{column}'.", nameof(run));
                }
            }

            if (!SubtypeIsValid(edge.Subtype))
            {
                throw new ArgumentException($"'{edge.Subtype}' is not a transformation subtype (upper-case letters and _).", nameof(run));
            }
        }

        // One row per dependency: the same pair seen twice in one run (two transformations of one kind) is kept once.
        var edges = run.Edges.DistinctBy(e => (e.Output, e.Input, e.Type, e.Subtype)).ToList();
        var columns = edges.SelectMany(e => new[] { e.Input, e.Output }).Distinct().ToList();
        await using (var nodes = new NpgsqlCommand(
            """
            INSERT INTO datahub.lineage_node (dataset, field)
            SELECT * FROM unnest(@datasets, @fields) ORDER BY 1, 2
            ON CONFLICT (dataset, field) DO NOTHING
            """,
            connection,
            transaction))
        {
            nodes.Parameters.Add(new NpgsqlParameter<string[]>("datasets", columns.Select(c => c.Dataset).ToArray()));
            nodes.Parameters.Add(new NpgsqlParameter<string[]>("fields", columns.Select(c => c.Field).ToArray()));
            await nodes.ExecuteNonQueryAsync(ct);
        }

        await using var insert = new NpgsqlCommand(
            """
            INSERT INTO datahub.column_lineage (output_node, input_node, type, subtype, masked, description, first_run, last_run)
            SELECT o.id, i.id, e.type, e.subtype, e.masked, e.description, @run, @run
            FROM unnest(@out_datasets, @out_fields, @in_datasets, @in_fields, @types, @subtypes, @masked, @descriptions)
                 AS e (out_dataset, out_field, in_dataset, in_field, type, subtype, masked, description)
            JOIN datahub.lineage_node o ON o.dataset = e.out_dataset AND o.field = e.out_field
            JOIN datahub.lineage_node i ON i.dataset = e.in_dataset AND i.field = e.in_field
            ON CONFLICT (output_node, input_node, type, subtype) DO UPDATE
            SET masked = EXCLUDED.masked, description = EXCLUDED.description, last_run = EXCLUDED.last_run, recorded_at = now()
            """,
            connection,
            transaction);
        insert.Parameters.Add(new NpgsqlParameter<Guid>("run", run.RunId));
        insert.Parameters.Add(new NpgsqlParameter<string[]>("out_datasets", edges.Select(e => e.Output.Dataset).ToArray()));
        insert.Parameters.Add(new NpgsqlParameter<string[]>("out_fields", edges.Select(e => e.Output.Field).ToArray()));
        insert.Parameters.Add(new NpgsqlParameter<string[]>("in_datasets", edges.Select(e => e.Input.Dataset).ToArray()));
        insert.Parameters.Add(new NpgsqlParameter<string[]>("in_fields", edges.Select(e => e.Input.Field).ToArray()));
        insert.Parameters.Add(new NpgsqlParameter<string[]>("types", edges.Select(e => OpenLineageEventBuilder.TransformationTypeName(e.Type)).ToArray()));
        insert.Parameters.Add(new NpgsqlParameter<string[]>("subtypes", edges.Select(e => e.Subtype).ToArray()));
        insert.Parameters.Add(new NpgsqlParameter<bool[]>("masked", edges.Select(e => e.Masked).ToArray()));
        insert.Parameters.Add(new NpgsqlParameter<string?[]>("descriptions", edges.Select(e => e.Description).ToArray()) { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        await insert.ExecuteNonQueryAsync(ct);
    }

    /// <summary>The events recorded for a run, oldest first, as emitted.</summary>
    /// <param name="runId">The run.</param>
    /// <param name="ct">Cancels the query.</param>
    public async Task<IReadOnlyList<JsonObject>> GetEventsAsync(Guid runId, CancellationToken ct = default)
    {
        await using var command = _dataSource.CreateCommand("SELECT payload::text FROM datahub.lineage_event WHERE run_id = @run ORDER BY id");
        command.Parameters.Add(new NpgsqlParameter<Guid>("run", runId));
        await using var reader = await command.ExecuteReaderAsync(ct);
        var events = new List<JsonObject>();
        while (await reader.ReadAsync(ct))
        {
            events.Add(JsonNode.Parse(reader.GetString(0))?.AsObject() ?? throw new InvalidOperationException($"An event of run {runId} is not a JSON object."));
        }

        return events;
    }

    /// <summary>
    /// Walks the column lineage from every column of a dataset, up to <paramref name="depth"/> edges, and returns the
    /// columns reached and the edges between them. Cycles are walked once.
    /// </summary>
    /// <param name="dataset">The dataset to start from.</param>
    /// <param name="direction">Up (sources), down (consumers) or both.</param>
    /// <param name="depth">1 to <see cref="MaxDepth"/>.</param>
    /// <param name="ct">Cancels the walk.</param>
    /// <returns>The graph, or null when no lineage names the dataset.</returns>
    public async Task<LineageGraph?> GetGraphAsync(string dataset, LineageDirection direction, int depth, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentOutOfRangeException.ThrowIfLessThan(depth, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(depth, MaxDepth);
        await using var connection = await _dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);

        var start = new List<long>();
        await using (var command = new NpgsqlCommand("SELECT id FROM datahub.lineage_node WHERE dataset = @dataset", connection, transaction))
        {
            command.Parameters.Add(new NpgsqlParameter<string>("dataset", dataset));
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                start.Add(reader.GetInt64(0));
            }
        }

        if (start.Count == 0)
        {
            return null;
        }

        var distances = start.ToDictionary(id => id, _ => 0);
        var edges = new Dictionary<(long Output, long Input, string Type, string Subtype), StoredEdge>();
        var truncated = false;
        if (direction is LineageDirection.Up or LineageDirection.Both)
        {
            truncated |= await WalkAsync(connection, transaction, start, depth, upstream: true, distances, edges, ct);
        }

        if (direction is LineageDirection.Down or LineageDirection.Both)
        {
            truncated |= await WalkAsync(connection, transaction, start, depth, upstream: false, distances, edges, ct);
        }

        var columns = new Dictionary<long, LineageColumn>(distances.Count);
        await using (var command = new NpgsqlCommand("SELECT id, dataset, field FROM datahub.lineage_node WHERE id = ANY(@ids)", connection, transaction))
        {
            command.Parameters.Add(new NpgsqlParameter<long[]>("ids", distances.Keys.ToArray()));
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                columns[reader.GetInt64(0)] = new LineageColumn(reader.GetString(1), reader.GetString(2));
            }
        }

        await transaction.CommitAsync(ct);
        var nodes = distances
            .Select(d => new LineageGraphNode(columns[d.Key].Dataset, columns[d.Key].Field, d.Value))
            .OrderBy(n => n.Distance).ThenBy(n => n.Dataset, StringComparer.Ordinal).ThenBy(n => n.Field, StringComparer.Ordinal)
            .ToList();
        var graphEdges = edges.Values
            .Select(e => new ColumnLineageEdge(columns[e.Input], columns[e.Output],
                e.Type == "DIRECT" ? LineageTransformationType.Direct : LineageTransformationType.Indirect, e.Subtype, e.Masked, e.Description))
            .OrderBy(e => e.Output.Dataset, StringComparer.Ordinal).ThenBy(e => e.Output.Field, StringComparer.Ordinal)
            .ThenBy(e => e.Input.Dataset, StringComparer.Ordinal).ThenBy(e => e.Input.Field, StringComparer.Ordinal)
            .ToList();
        return new LineageGraph(dataset, direction, depth, nodes, graphEdges, truncated);
    }

    /// <returns>True when the walk stopped early at <see cref="MaxNodes"/>.</returns>
    private static async Task<bool> WalkAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        List<long> start,
        int depth,
        bool upstream,
        Dictionary<long, int> distances,
        Dictionary<(long Output, long Input, string Type, string Subtype), StoredEdge> edges,
        CancellationToken ct)
    {
        var sql = upstream
            ? "SELECT output_node, input_node, type, subtype, masked, description FROM datahub.column_lineage WHERE output_node = ANY(@frontier)"
            : "SELECT output_node, input_node, type, subtype, masked, description FROM datahub.column_lineage WHERE input_node = ANY(@frontier)";
        var seen = new HashSet<long>(start);
        var frontier = start;
        for (var level = 1; level <= depth && frontier.Count > 0; level++)
        {
            if (distances.Count >= MaxNodes)
            {
                return true;
            }

            var next = new List<long>();
            await using var command = new NpgsqlCommand(sql, connection, transaction);
            command.Parameters.Add(new NpgsqlParameter<long[]>("frontier", frontier.ToArray()));
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var edge = new StoredEdge(reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2), reader.GetString(3), reader.GetBoolean(4),
                    reader.IsDBNull(5) ? null : reader.GetString(5));
                edges.TryAdd((edge.Output, edge.Input, edge.Type, edge.Subtype), edge);
                var reached = upstream ? edge.Input : edge.Output;
                if (seen.Add(reached))
                {
                    next.Add(reached);
                    if (!distances.TryGetValue(reached, out var known) || known > level)
                    {
                        distances[reached] = level;
                    }
                }
            }

            frontier = next;
        }

        return false;
    }

    private static bool SubtypeIsValid(string subtype) =>
        subtype.Length is >= 1 and <= 40 && subtype.All(c => c is (>= 'A' and <= 'Z') or '_');

    private sealed record StoredEdge(long Output, long Input, string Type, string Subtype, bool Masked, string? Description);
}
