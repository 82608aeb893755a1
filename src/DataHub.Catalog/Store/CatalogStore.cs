using Npgsql;
using NpgsqlTypes;

namespace DataHub.Catalog;

/// <summary>
/// The catalog queries and updates the host needs: dataset list and detail, ingest runs, rejections and data
/// files. Every statement is parameterised; rejections are written with binary COPY.
/// </summary>
public sealed partial class CatalogStore
{
    private const string DatasetColumns = """
        d.id, d.name, d.title, d.resource_code, d.provider_code, p.name, d.abstract, d.update_cycle, d.share_type,
        d.share_condition, d.open_attribute, d.sensitivity, d.importance, l4.code, l4.name, d.created_at, d.published_on
        """;

    private readonly NpgsqlDataSource dataSource;

    /// <summary>Creates a store over a migrated catalog database.</summary>
    /// <param name="dataSource">The catalog database.</param>
    public CatalogStore(NpgsqlDataSource dataSource)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        this.dataSource = dataSource;
    }

    /// <summary>All datasets by name, with their row and file counts.</summary>
    /// <param name="ct">Cancels the query.</param>
    public async Task<IReadOnlyList<DatasetSummary>> ListDatasetsAsync(CancellationToken ct = default)
    {
        const string sql = """
            SELECT d.name, d.title, d.provider_code, p.name, d.share_type, d.sensitivity,
                   coalesce(f.row_count, 0), coalesce(f.file_count, 0)
            FROM datahub.dataset d
            JOIN datahub.department p ON p.code = d.provider_code
            LEFT JOIN (SELECT t.name, sum(f.row_count - f.superseded_rows)::bigint AS row_count, count(*)::int AS file_count
                       FROM datahub.lake_table t
                       JOIN datahub.lake_file f ON f.table_id = t.id
                        AND f.added_snapshot <= t.current_snapshot_id
                        AND (f.removed_snapshot IS NULL OR f.removed_snapshot > t.current_snapshot_id)
                       GROUP BY t.name) f ON f.name = d.name
            ORDER BY d.name
            """;
        await using var command = dataSource.CreateCommand(sql);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var list = new List<DatasetSummary>();
        while (await reader.ReadAsync(ct))
        {
            list.Add(new DatasetSummary(
                reader.GetString(0),
                reader.GetString(1),
                reader.GetString(2),
                reader.GetString(3),
                reader.GetString(4),
                reader.GetInt16(5),
                reader.GetInt64(6),
                reader.GetInt32(7)));
        }

        return list;
    }

    /// <summary>One dataset with its columns and data files, or null when the catalog has no such dataset.</summary>
    /// <param name="name">The lake table name.</param>
    /// <param name="ct">Cancels the query.</param>
    public async Task<DatasetDetail?> GetDatasetAsync(string name, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);

        DatasetDetail? dataset;
        await using (var command = new NpgsqlCommand(
            $"""
            SELECT {DatasetColumns}
            FROM datahub.dataset d
            JOIN datahub.department p ON p.code = d.provider_code
            LEFT JOIN datahub.subject_node l4 ON l4.id = d.l4_node_id
            WHERE d.name = @name
            """,
            connection,
            transaction))
        {
            command.Parameters.Add(new NpgsqlParameter<string>("name", name));
            await using var reader = await command.ExecuteReaderAsync(ct);
            if (!await reader.ReadAsync(ct))
            {
                return null;
            }

            dataset = new DatasetDetail(
                reader.GetInt64(0),
                reader.GetString(1),
                reader.GetString(2),
                NullableString(reader, 3),
                reader.GetString(4),
                reader.GetString(5),
                NullableString(reader, 6),
                NullableString(reader, 7),
                reader.GetString(8),
                NullableString(reader, 9),
                NullableString(reader, 10),
                reader.GetInt16(11),
                reader.GetString(12),
                NullableString(reader, 13),
                NullableString(reader, 14),
                reader.GetFieldValue<DateTimeOffset>(15),
                [],
                [],
                reader.IsDBNull(16) ? null : reader.GetFieldValue<DateOnly>(16));
        }

        var columns = new List<DatasetColumn>();
        await using (var command = new NpgsqlCommand(
            """
            SELECT c.ordinal, c.name, c.data_type, c.source, l5.code, l5.name, c.description, l5.sensitivity, l5.importance,
                   l5.element_code
            FROM datahub.dataset_column c
            LEFT JOIN datahub.subject_node l5 ON l5.id = c.l5_node_id
            WHERE c.dataset_id = @id
            ORDER BY c.ordinal
            """,
            connection,
            transaction))
        {
            command.Parameters.Add(new NpgsqlParameter<long>("id", dataset.Id));
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                columns.Add(new DatasetColumn(
                    reader.GetInt32(0),
                    reader.GetString(1),
                    reader.GetString(2),
                    NullableString(reader, 3),
                    NullableString(reader, 4),
                    NullableString(reader, 5),
                    NullableString(reader, 6),
                    reader.IsDBNull(7) ? null : reader.GetInt16(7),
                    NullableString(reader, 8),
                    NullableString(reader, 9)));
            }
        }

        // The data is the lake table of the same name: its files live at the current snapshot, and its snapshots.
        var files = new List<DataFile>();
        await using (var command = new NpgsqlCommand(
            """
            SELECT f.id, f.path, f.row_count, f.size_bytes, NULL::bigint, s.committed_at
            FROM datahub.lake_table t
            JOIN datahub.lake_file f ON f.table_id = t.id AND f.added_snapshot <= t.current_snapshot_id
                 AND (f.removed_snapshot IS NULL OR f.removed_snapshot > t.current_snapshot_id)
            JOIN datahub.lake_snapshot s ON s.id = f.added_snapshot
            WHERE t.name = @name ORDER BY f.id
            """,
            connection,
            transaction))
        {
            command.Parameters.Add(new NpgsqlParameter<string>("name", dataset.Name));
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                files.Add(ReadDataFile(reader));
            }
        }

        var snapshots = new List<DatasetSnapshot>();
        await using (var command = new NpgsqlCommand(
            """
            SELECT s.id, s.committed_at, s.operation, s.rows_added, s.rows_removed, s.author, s.message
            FROM datahub.lake_snapshot s JOIN datahub.lake_table t ON t.id = s.table_id
            WHERE t.name = @name ORDER BY s.id DESC LIMIT 100
            """,
            connection,
            transaction))
        {
            command.Parameters.Add(new NpgsqlParameter<string>("name", dataset.Name));
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                snapshots.Add(new DatasetSnapshot(reader.GetInt64(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetString(2),
                    reader.GetInt64(3), reader.GetInt64(4), reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6)));
            }
        }

        await transaction.CommitAsync(ct);
        return dataset with { Columns = columns, Files = files, Snapshots = snapshots };
    }

    /// <summary>Records the start of an ingest run for a dataset.</summary>
    /// <param name="datasetName">The lake table name.</param>
    /// <param name="ct">Cancels the insert.</param>
    /// <returns>The run id.</returns>
    /// <exception cref="KeyNotFoundException">The catalog has no such dataset.</exception>
    public async Task<long> RegisterIngestRunAsync(string datasetName, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(datasetName);
        await using var command = dataSource.CreateCommand(
            """
            INSERT INTO datahub.ingest_run (dataset_id, status)
            SELECT id, 'running' FROM datahub.dataset WHERE name = @name
            RETURNING id
            """);
        command.Parameters.Add(new NpgsqlParameter<string>("name", datasetName));
        return await command.ExecuteScalarAsync(ct) is long id
            ? id
            : throw new KeyNotFoundException($"The catalog has no dataset '{datasetName}'.");
    }

    /// <summary>
    /// Records how a running ingest run ended. A successful run must account for every row read:
    /// <c>RowsRead = RowsCommitted + RowsQuarantined</c>.
    /// </summary>
    /// <param name="runId">The run id from <see cref="RegisterIngestRunAsync"/>.</param>
    /// <param name="completion">Status, counts and message.</param>
    /// <param name="ct">Cancels the update.</param>
    /// <exception cref="ArgumentException">The status is Running, a count is negative, or the counts of a successful run do not reconcile.</exception>
    /// <exception cref="InvalidOperationException">No running run has that id.</exception>
    public async Task CompleteIngestRunAsync(long runId, IngestRunCompletion completion, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(completion);
        if (completion.Status == IngestRunStatus.Running)
        {
            throw new ArgumentException("A completed run is Succeeded or Failed.", nameof(completion));
        }

        if (completion.RowsRead < 0 || completion.RowsCommitted < 0 || completion.RowsQuarantined < 0)
        {
            throw new ArgumentException("Row counts cannot be negative.", nameof(completion));
        }

        if (completion.Status == IngestRunStatus.Succeeded
            && completion.RowsRead != completion.RowsCommitted + completion.RowsQuarantined)
        {
            throw new ArgumentException(
                $"Run {runId} read {completion.RowsRead} rows but committed {completion.RowsCommitted} and quarantined "
                + $"{completion.RowsQuarantined}; every row read must end up in one of the two.",
                nameof(completion));
        }

        await using var command = dataSource.CreateCommand(
            """
            UPDATE datahub.ingest_run
            SET finished_at = now(), rows_read = @read, rows_committed = @committed, rows_quarantined = @quarantined,
                status = @status, message = @message
            WHERE id = @id AND status = 'running'
            """);
        command.Parameters.Add(new NpgsqlParameter<long>("id", runId));
        command.Parameters.Add(new NpgsqlParameter<long>("read", completion.RowsRead));
        command.Parameters.Add(new NpgsqlParameter<long>("committed", completion.RowsCommitted));
        command.Parameters.Add(new NpgsqlParameter<long>("quarantined", completion.RowsQuarantined));
        command.Parameters.Add(new NpgsqlParameter<string>("status", StatusText(completion.Status)));
        command.Parameters.Add(new NpgsqlParameter<string?>("message", completion.Message) { NpgsqlDbType = NpgsqlDbType.Text });
        if (await command.ExecuteNonQueryAsync(ct) != 1)
        {
            throw new InvalidOperationException($"There is no running ingest run {runId}.");
        }
    }

    /// <summary>One ingest run, or null when there is none with that id.</summary>
    /// <param name="runId">The run id.</param>
    /// <param name="ct">Cancels the query.</param>
    public async Task<IngestRun?> GetIngestRunAsync(long runId, CancellationToken ct = default)
    {
        await using var command = dataSource.CreateCommand(IngestRunSelect + " WHERE r.id = @id");
        command.Parameters.Add(new NpgsqlParameter<long>("id", runId));
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? ReadIngestRun(reader) : null;
    }

    /// <summary>The most recent ingest runs, newest first.</summary>
    /// <param name="limit">How many at most (1–1000).</param>
    /// <param name="ct">Cancels the query.</param>
    public async Task<IReadOnlyList<IngestRun>> ListRecentIngestRunsAsync(int limit = 20, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, 1000);
        await using var command = dataSource.CreateCommand(IngestRunSelect + " ORDER BY r.id DESC LIMIT @limit");
        command.Parameters.Add(new NpgsqlParameter<int>("limit", limit));
        await using var reader = await command.ExecuteReaderAsync(ct);
        var runs = new List<IngestRun>();
        while (await reader.ReadAsync(ct))
        {
            runs.Add(ReadIngestRun(reader));
        }

        return runs;
    }

    private const string IngestRunSelect =
        """
        SELECT r.id, d.name, r.started_at, r.finished_at, r.rows_read, r.rows_committed, r.rows_quarantined, r.status,
               r.message, (SELECT count(*) FROM datahub.ingest_rejection j WHERE j.run_id = r.id)
        FROM datahub.ingest_run r
        JOIN datahub.dataset d ON d.id = r.dataset_id
        """;

    private static IngestRun ReadIngestRun(NpgsqlDataReader reader) => new(
        reader.GetInt64(0),
        reader.GetString(1),
        reader.GetFieldValue<DateTimeOffset>(2),
        reader.IsDBNull(3) ? null : reader.GetFieldValue<DateTimeOffset>(3),
        NullableInt64(reader, 4),
        NullableInt64(reader, 5),
        NullableInt64(reader, 6),
        ParseStatus(reader.GetString(7)),
        NullableString(reader, 8),
        reader.GetInt64(9));

    /// <summary>Stores rejection records of a run with one binary COPY.</summary>
    /// <param name="runId">The run id.</param>
    /// <param name="rejections">The records; streamed, so a large sequence is not held in memory.</param>
    /// <param name="ct">Cancels the copy; nothing is stored then.</param>
    /// <returns>How many records were stored.</returns>
    public async Task<long> AddRejectionsAsync(long runId, IEnumerable<IngestRejection> rejections, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(rejections);
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var writer = await connection.BeginBinaryImportAsync(
            "COPY datahub.ingest_rejection (run_id, source_file, line, field, reason) FROM STDIN (FORMAT BINARY)", ct);
        foreach (var rejection in rejections)
        {
            ArgumentNullException.ThrowIfNull(rejection, nameof(rejections));
            await writer.StartRowAsync(ct);
            await writer.WriteAsync(runId, NpgsqlDbType.Bigint, ct);
            await writer.WriteAsync(rejection.SourceFile, NpgsqlDbType.Text, ct);
            if (rejection.Line is long line)
            {
                await writer.WriteAsync(line, NpgsqlDbType.Bigint, ct);
            }
            else
            {
                await writer.WriteNullAsync(ct);
            }

            if (rejection.Field is null)
            {
                await writer.WriteNullAsync(ct);
            }
            else
            {
                await writer.WriteAsync(rejection.Field, NpgsqlDbType.Text, ct);
            }

            await writer.WriteAsync(rejection.Reason, NpgsqlDbType.Text, ct);
        }

        return (long)await writer.CompleteAsync(ct);
    }

    /// <summary>The rejection records of a run by file and line, at most <paramref name="limit"/> of them.</summary>
    /// <param name="runId">The run id.</param>
    /// <param name="limit">The maximum number returned.</param>
    /// <param name="ct">Cancels the query.</param>
    public async Task<IReadOnlyList<IngestRejection>> GetRejectionsAsync(long runId, int limit = 1000, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        await using var command = dataSource.CreateCommand(
            "SELECT source_file, line, field, reason FROM datahub.ingest_rejection WHERE run_id = @id ORDER BY source_file, line NULLS FIRST, field NULLS FIRST LIMIT @limit");
        command.Parameters.Add(new NpgsqlParameter<long>("id", runId));
        command.Parameters.Add(new NpgsqlParameter<int>("limit", limit));
        await using var reader = await command.ExecuteReaderAsync(ct);
        var list = new List<IngestRejection>();
        while (await reader.ReadAsync(ct))
        {
            list.Add(new IngestRejection(reader.GetString(0), NullableInt64(reader, 1), NullableString(reader, 2), reader.GetString(3)));
        }

        return list;
    }

    /// <summary>Registers a data file of the lake for a dataset.</summary>
    /// <param name="datasetName">The lake table name.</param>
    /// <param name="runId">The ingest run that wrote it, if any.</param>
    /// <param name="path">Path relative to the lake root; '\' is turned into '/'.</param>
    /// <param name="rowCount">Rows in the file.</param>
    /// <param name="sizeBytes">File size.</param>
    /// <param name="ct">Cancels the insert.</param>
    /// <returns>The registered file.</returns>
    /// <exception cref="ArgumentException">The path is absolute or leaves the lake root, or a count is negative.</exception>
    /// <exception cref="KeyNotFoundException">The catalog has no such dataset.</exception>
    public async Task<DataFile> AddDataFileAsync(
        string datasetName, long? runId, string path, long rowCount, long sizeBytes, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(datasetName);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentOutOfRangeException.ThrowIfNegative(rowCount);
        ArgumentOutOfRangeException.ThrowIfNegative(sizeBytes);
        var relative = path.Replace('\\', '/');
        if (Path.IsPathRooted(relative) || relative.StartsWith('/') || relative.Split('/').Contains(".."))
        {
            throw new ArgumentException($"'{path}' must be relative to the lake root and stay inside it.", nameof(path));
        }

        await using var command = dataSource.CreateCommand(
            """
            INSERT INTO datahub.data_file (dataset_id, run_id, path, row_count, size_bytes)
            SELECT id, @run, @path, @rows, @size FROM datahub.dataset WHERE name = @name
            RETURNING id, path, row_count, size_bytes, run_id, created_at
            """);
        command.Parameters.Add(new NpgsqlParameter<string>("name", datasetName));
        command.Parameters.Add(new NpgsqlParameter("run", NpgsqlDbType.Bigint) { Value = runId is long run ? run : DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter<string>("path", relative));
        command.Parameters.Add(new NpgsqlParameter<long>("rows", rowCount));
        command.Parameters.Add(new NpgsqlParameter<long>("size", sizeBytes));
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct)
            ? ReadDataFile(reader)
            : throw new KeyNotFoundException($"The catalog has no dataset '{datasetName}'.");
    }

    private static DataFile ReadDataFile(NpgsqlDataReader reader) => new(
        reader.GetInt64(0),
        reader.GetString(1),
        reader.GetInt64(2),
        reader.GetInt64(3),
        NullableInt64(reader, 4),
        reader.GetFieldValue<DateTimeOffset>(5));

    private static string? NullableString(NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static long? NullableInt64(NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetInt64(ordinal);

    private static string StatusText(IngestRunStatus status) => status switch
    {
        IngestRunStatus.Running => "running",
        IngestRunStatus.Succeeded => "succeeded",
        IngestRunStatus.Failed => "failed",
        IngestRunStatus.Abandoned => "abandoned",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Unknown ingest run status."),
    };

    private static IngestRunStatus ParseStatus(string text) => text switch
    {
        "running" => IngestRunStatus.Running,
        "succeeded" => IngestRunStatus.Succeeded,
        "failed" => IngestRunStatus.Failed,
        "abandoned" => IngestRunStatus.Abandoned,
        _ => throw new InvalidOperationException($"Unknown ingest run status '{text}' in the catalog."),
    };
}
