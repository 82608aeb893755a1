using Npgsql;

namespace DataHub.Pipelines.Runs;

/// <summary>A recorded pipeline run.</summary>
/// <param name="Id">Run id.</param>
/// <param name="Pipeline">Pipeline name.</param>
/// <param name="Dataset">Target dataset.</param>
/// <param name="Status">running, succeeded, failed or abandoned.</param>
/// <param name="Trigger">schedule, manual, demo, retry or resubmit.</param>
/// <param name="Attempt">1 for a first attempt, more for retries.</param>
/// <param name="StartedAt">Start.</param>
/// <param name="FinishedAt">End, if finished.</param>
/// <param name="RowsRead">Rows read.</param>
/// <param name="RowsCommitted">Rows committed.</param>
/// <param name="RowsQuarantined">Rows quarantined.</param>
/// <param name="BytesRead">Bytes of the inputs.</param>
/// <param name="FilesRead">Inputs read.</param>
/// <param name="SnapshotId">The target's snapshot the run committed.</param>
/// <param name="QuarantineSnapshotId">The quarantine table's snapshot holding its rejected rows.</param>
/// <param name="Host">Machine and process that ran it.</param>
/// <param name="Message">Summary, or the error of a failed run.</param>
public sealed record PipelineRun(
    long Id, string Pipeline, string Dataset, string Status, string Trigger, int Attempt, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt,
    long? RowsRead, long? RowsCommitted, long? RowsQuarantined, long? BytesRead, int? FilesRead, long? SnapshotId, long? QuarantineSnapshotId,
    string? Host, string? Message)
{
    /// <summary>Seconds the run took, if finished.</summary>
    public double? Seconds => FinishedAt is { } end ? (end - StartedAt).TotalSeconds : null;
}

/// <summary>Reads pipeline runs from the catalog.</summary>
/// <param name="dataSource">The catalog database.</param>
public sealed class PipelineRunStore(NpgsqlDataSource dataSource)
{
    private const string Select =
        """
        SELECT r.id, r.pipeline, d.name, r.status, r.trigger, r.attempt, r.started_at, r.finished_at, r.rows_read, r.rows_committed,
               r.rows_quarantined, r.bytes_read, r.files_read, r.snapshot_id, r.quarantine_snapshot_id, r.host, r.message
        FROM datahub.ingest_run r JOIN datahub.dataset d ON d.id = r.dataset_id
        """;

    /// <summary>A pipeline's runs, newest first.</summary>
    public async Task<IReadOnlyList<PipelineRun>> ListAsync(string pipeline, int limit = 20, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        await using var command = dataSource.CreateCommand(Select + " WHERE r.pipeline = @pipeline ORDER BY r.id DESC LIMIT @limit");
        command.Parameters.AddWithValue("pipeline", pipeline);
        command.Parameters.AddWithValue("limit", limit);
        return await ReadAllAsync(command, ct);
    }

    /// <summary>The latest run of each pipeline.</summary>
    public async Task<IReadOnlyDictionary<string, PipelineRun>> LatestAsync(CancellationToken ct = default)
    {
        await using var command = dataSource.CreateCommand(Select + " WHERE r.id IN (SELECT max(id) FROM datahub.ingest_run WHERE pipeline IS NOT NULL GROUP BY pipeline)");
        return (await ReadAllAsync(command, ct)).ToDictionary(r => r.Pipeline, StringComparer.Ordinal);
    }

    /// <summary>When the pipeline's runs that read data and succeeded started, since a time (for its SLA).</summary>
    public async Task<IReadOnlyList<DateTimeOffset>> ArrivalsAsync(string pipeline, DateTimeOffset since, CancellationToken ct = default)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT started_at FROM datahub.ingest_run WHERE pipeline = @pipeline AND status = 'succeeded' AND rows_read > 0 AND started_at >= @since");
        command.Parameters.AddWithValue("pipeline", pipeline);
        command.Parameters.AddWithValue("since", since);
        var arrivals = new List<DateTimeOffset>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            arrivals.Add(reader.GetFieldValue<DateTimeOffset>(0));
        }

        return arrivals;
    }

    /// <summary>The SLA state of a pipeline now.</summary>
    public async Task<(SlaState State, DateTimeOffset? Deadline)> SlaAsync(Definitions.PipelineDefinition pipeline, DateTimeOffset now, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        return pipeline.Sla is null || pipeline.Schedule is null
            ? (SlaState.None, null)
            : PipelineSla.Evaluate(pipeline, await ArrivalsAsync(pipeline.Name, now.AddDays(-90), ct), now);
    }

    /// <summary>One run, or null.</summary>
    public async Task<PipelineRun?> GetAsync(long id, CancellationToken ct = default)
    {
        await using var command = dataSource.CreateCommand(Select + " WHERE r.id = @id AND r.pipeline IS NOT NULL");
        command.Parameters.AddWithValue("id", id);
        var runs = await ReadAllAsync(command, ct);
        return runs.Count > 0 ? runs[0] : null;
    }

    /// <summary>Quarantine ids already corrected and re-submitted.</summary>
    public async Task<IReadOnlySet<string>> ResolvedAsync(IEnumerable<string> ids, CancellationToken ct = default)
    {
        await using var command = dataSource.CreateCommand("SELECT quarantine_id FROM datahub.quarantine_resolution WHERE quarantine_id = ANY(@ids)");
        command.Parameters.AddWithValue("ids", ids.ToArray());
        var resolved = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            resolved.Add(reader.GetString(0));
        }

        return resolved;
    }

    private static async Task<IReadOnlyList<PipelineRun>> ReadAllAsync(NpgsqlCommand command, CancellationToken ct)
    {
        var runs = new List<PipelineRun>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            runs.Add(new PipelineRun(
                reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetInt32(5),
                reader.GetFieldValue<DateTimeOffset>(6), reader.IsDBNull(7) ? null : reader.GetFieldValue<DateTimeOffset>(7),
                Int64(reader, 8), Int64(reader, 9), Int64(reader, 10), Int64(reader, 11), reader.IsDBNull(12) ? null : reader.GetInt32(12),
                Int64(reader, 13), Int64(reader, 14), reader.IsDBNull(15) ? null : reader.GetString(15), reader.IsDBNull(16) ? null : reader.GetString(16)));
        }

        return runs;
    }

    private static long? Int64(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetInt64(ordinal);
}
