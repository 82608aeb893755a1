using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace DataHub.Lake.Tables;

/// <summary>
/// The lake's tables: versioned, schema-evolving tables of Parquet files whose metadata lives in PostgreSQL.
/// Writes put Parquet down first (no catalog transaction open), then commit in one short PostgreSQL transaction
/// that records the snapshot and files and moves the table's current-snapshot pointer, so a reader sees either
/// the old table or the new one, never a part. Concurrent commits are optimistic: the transaction runs
/// SERIALIZABLE and is retried on SQLSTATE 40001/40P01; appends and compactions re-base onto the newer
/// snapshot, while overwrite, merge and delete re-read and redo their work, up to a limit, and then report a
/// <see cref="LakeConflictException"/>.
/// </summary>
public sealed partial class LakeTables
{
    private const int CommitAttempts = 8;
    private const int OperationAttempts = 3;
    private readonly NpgsqlDataSource _catalog;
    private readonly ILogger _logger;

    /// <summary>Creates the table service over the catalog database and the lake's file layout.</summary>
    public LakeTables(NpgsqlDataSource catalog, LakeStorage storage, ILogger? logger = null)
    {
        _catalog = catalog ?? throw new ArgumentNullException(nameof(catalog));
        Storage = storage ?? throw new ArgumentNullException(nameof(storage));
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>The lake's file layout.</summary>
    public LakeStorage Storage { get; }

    /// <summary>
    /// A hook that runs after a write's Parquet files exist and before the catalog transaction: tests use it to
    /// stand in for a writer that dies there. Null in production.
    /// </summary>
    internal Func<IReadOnlyList<string>, Task>? BeforeCommit { get; set; }

    /// <summary>Creates a table (snapshot <c>create</c>, no files). Refuses an existing name.</summary>
    public async Task<LakeTableInfo> CreateTableAsync(string name, IReadOnlyList<LakeColumnDefinition> columns, IReadOnlyList<string>? keyColumns, LakeCommit commit, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(commit);
        ValidateTableName(name);
        if (columns.Count == 0)
        {
            throw new LakeSchemaException($"Table {name} needs at least one column.");
        }

        var schema = new List<LakeColumn>();
        foreach (var column in columns)
        {
            ValidateColumnName(name, column.Name);
            if (schema.Any(c => c.Name == column.Name))
            {
                throw new LakeSchemaException($"Table {name} names column '{column.Name}' twice.");
            }

            schema.Add(new LakeColumn(schema.Count + 1, column.Name, LakeTypes.Normalize(column.Type)));
        }

        var key = keyColumns ?? [];
        foreach (var k in key.Where(k => schema.All(c => c.Name != k)))
        {
            throw new LakeSchemaException($"Key column '{k}' is not a column of {name}.");
        }

        await using var connection = await _catalog.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        long tableId;
        await using (var insert = new NpgsqlCommand(
            "INSERT INTO datahub.lake_table (name, key_columns, next_field_id) VALUES (@name, @key, @next) ON CONFLICT (name) DO NOTHING RETURNING id",
            connection, transaction))
        {
            insert.Parameters.AddWithValue("name", name);
            insert.Parameters.AddWithValue("key", key.ToArray());
            insert.Parameters.AddWithValue("next", schema.Count + 1);
            tableId = await insert.ExecuteScalarAsync(ct) is long id ? id : throw new LakeSchemaException($"Table {name} already exists.");
        }

        await InsertSchemaAsync(connection, transaction, tableId, 1, schema, ct);
        var snapshot = await InsertSnapshotAsync(connection, transaction, tableId, null, commit, "create", 0, 0, 1, ct);
        await MovePointerAsync(connection, transaction, tableId, snapshot.Id, ct);
        await transaction.CommitAsync(ct);
        return new LakeTableInfo(tableId, name, key.ToList(), snapshot.Id, 1, schema);
    }

    /// <summary>True when the table exists.</summary>
    public async Task<bool> ExistsAsync(string name, CancellationToken ct = default)
    {
        await using var command = _catalog.CreateCommand("SELECT 1 FROM datahub.lake_table WHERE name = @name");
        command.Parameters.AddWithValue("name", name);
        return await command.ExecuteScalarAsync(ct) is not null;
    }

    /// <summary>The names of all lake tables.</summary>
    public async Task<IReadOnlyList<string>> ListTablesAsync(CancellationToken ct = default)
    {
        await using var command = _catalog.CreateCommand("SELECT name FROM datahub.lake_table WHERE current_snapshot_id IS NOT NULL ORDER BY name");
        await using var reader = await command.ExecuteReaderAsync(ct);
        var names = new List<string>();
        while (await reader.ReadAsync(ct))
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }

    /// <summary>The table at a version (its schema then). Unknown tables and versions are named in the error.</summary>
    public async Task<LakeTableInfo> GetTableAsync(string name, LakeVersion version = default, CancellationToken ct = default)
    {
        await using var connection = await _catalog.OpenConnectionAsync(ct);
        return await LoadTableAsync(connection, null, name, version, ct);
    }

    /// <summary>The table's snapshots, newest first.</summary>
    public async Task<IReadOnlyList<LakeSnapshot>> HistoryAsync(string name, CancellationToken ct = default)
    {
        await using var command = _catalog.CreateCommand(
            $"SELECT {SnapshotColumns} FROM datahub.lake_snapshot s JOIN datahub.lake_table t ON t.id = s.table_id WHERE t.name = @name ORDER BY s.id DESC");
        command.Parameters.AddWithValue("name", name);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var snapshots = new List<LakeSnapshot>();
        while (await reader.ReadAsync(ct))
        {
            snapshots.Add(ReadSnapshot(reader));
        }

        return snapshots.Count > 0 || await ExistsAsync(name, ct) ? snapshots : throw UnknownTable(name);
    }

    /// <summary>The data files live at a version of the table.</summary>
    public async Task<IReadOnlyList<LakeDataFile>> FilesAsync(string name, LakeVersion version = default, CancellationToken ct = default)
    {
        await using var connection = await _catalog.OpenConnectionAsync(ct);
        var table = await LoadTableAsync(connection, null, name, version, ct);
        return await LiveFilesAsync(connection, null, table.Id, table.SnapshotId, ct);
    }

    private const string SnapshotColumns =
        "s.id, s.parent_id, s.committed_at, s.author, s.message, s.operation, s.rows_added, s.rows_removed, s.schema_version";

    private static LakeSnapshot ReadSnapshot(NpgsqlDataReader reader) => new(
        reader.GetInt64(0),
        reader.IsDBNull(1) ? null : reader.GetInt64(1),
        reader.GetFieldValue<DateTimeOffset>(2),
        reader.GetString(3),
        reader.IsDBNull(4) ? null : reader.GetString(4),
        reader.GetString(5),
        reader.GetInt64(6),
        reader.GetInt64(7),
        reader.GetInt32(8));

    private static async Task<LakeTableInfo> LoadTableAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string name, LakeVersion version, CancellationToken ct)
    {
        long tableId;
        long? current;
        string[] key;
        await using (var command = new NpgsqlCommand("SELECT id, current_snapshot_id, key_columns FROM datahub.lake_table WHERE name = @name", connection, transaction))
        {
            command.Parameters.AddWithValue("name", name);
            await using var reader = await command.ExecuteReaderAsync(ct);
            if (!await reader.ReadAsync(ct))
            {
                throw UnknownTable(name);
            }

            tableId = reader.GetInt64(0);
            current = reader.IsDBNull(1) ? null : reader.GetInt64(1);
            key = reader.GetFieldValue<string[]>(2);
        }

        var snapshotSql = version switch
        {
            { SnapshotId: not null } => "SELECT id, schema_version FROM datahub.lake_snapshot WHERE table_id = @table AND id = @snapshot",
            { AsOf: not null } => "SELECT id, schema_version FROM datahub.lake_snapshot WHERE table_id = @table AND committed_at <= @time ORDER BY id DESC LIMIT 1",
            _ => "SELECT id, schema_version FROM datahub.lake_snapshot WHERE table_id = @table AND id = @snapshot",
        };
        long snapshotId;
        int schemaVersion;
        await using (var command = new NpgsqlCommand(snapshotSql, connection, transaction))
        {
            command.Parameters.AddWithValue("table", tableId);
            command.Parameters.AddWithValue("snapshot", version.SnapshotId ?? current ?? -1);
            command.Parameters.AddWithValue("time", (version.AsOf ?? DateTimeOffset.MaxValue).ToUniversalTime());
            await using var reader = await command.ExecuteReaderAsync(ct);
            if (!await reader.ReadAsync(ct))
            {
                throw version.AsOf is { } t
                    ? new KeyNotFoundException($"Table {name} has no snapshot at or before {t:O} (it did not exist yet, or those snapshots have expired).")
                    : new KeyNotFoundException($"Table {name} has no snapshot {version.SnapshotId} (see 'datahub table history {name}'; expired snapshots cannot be read).");
            }

            snapshotId = reader.GetInt64(0);
            schemaVersion = reader.GetInt32(1);
        }

        var columns = await LoadSchemaAsync(connection, transaction, tableId, schemaVersion, ct);
        return new LakeTableInfo(tableId, name, key, snapshotId, schemaVersion, columns);
    }

    private static async Task<IReadOnlyList<LakeColumn>> LoadSchemaAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, long tableId, int version, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("SELECT columns FROM datahub.lake_schema WHERE table_id = @table AND schema_version = @version", connection, transaction);
        command.Parameters.AddWithValue("table", tableId);
        command.Parameters.AddWithValue("version", version);
        var json = (string)(await command.ExecuteScalarAsync(ct) ?? throw new InvalidOperationException($"Schema version {version} of table {tableId} is missing."));
        return JsonSerializer.Deserialize<List<LakeColumn>>(json, JsonOptions) ?? [];
    }

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    private static async Task InsertSchemaAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long tableId, int version, IReadOnlyList<LakeColumn> columns, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            "INSERT INTO datahub.lake_schema (table_id, schema_version, columns) VALUES (@table, @version, @columns::jsonb)", connection, transaction);
        command.Parameters.AddWithValue("table", tableId);
        command.Parameters.AddWithValue("version", version);
        command.Parameters.AddWithValue("columns", JsonSerializer.Serialize(columns, JsonOptions));
        await command.ExecuteNonQueryAsync(ct);
    }

    private static async Task<LakeSnapshot> InsertSnapshotAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, long tableId, long? parent, LakeCommit commit, string operation,
        long rowsAdded, long rowsRemoved, int schemaVersion, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            $"""
            INSERT INTO datahub.lake_snapshot AS s (table_id, parent_id, author, message, operation, rows_added, rows_removed, schema_version)
            VALUES (@table, @parent, @author, @message, @operation, @added, @removed, @schema)
            RETURNING {SnapshotColumns}
            """, connection, transaction);
        command.Parameters.AddWithValue("table", tableId);
        command.Parameters.Add(new NpgsqlParameter("parent", NpgsqlTypes.NpgsqlDbType.Bigint) { Value = parent is long p ? p : DBNull.Value });
        command.Parameters.AddWithValue("author", commit.Author);
        command.Parameters.Add(new NpgsqlParameter("message", NpgsqlTypes.NpgsqlDbType.Text) { Value = (object?)commit.Message ?? DBNull.Value });
        command.Parameters.AddWithValue("operation", operation);
        command.Parameters.AddWithValue("added", rowsAdded);
        command.Parameters.AddWithValue("removed", rowsRemoved);
        command.Parameters.AddWithValue("schema", schemaVersion);
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return ReadSnapshot(reader);
    }

    private static async Task MovePointerAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long tableId, long snapshotId, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("UPDATE datahub.lake_table SET current_snapshot_id = @snapshot WHERE id = @table", connection, transaction);
        command.Parameters.AddWithValue("table", tableId);
        command.Parameters.AddWithValue("snapshot", snapshotId);
        await command.ExecuteNonQueryAsync(ct);
    }

    private static async Task<List<LakeDataFile>> LiveFilesAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, long tableId, long snapshotId, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            """
            SELECT id, path, row_count, size_bytes, schema_version, added_snapshot, removed_snapshot, delta, superseded_rows FROM datahub.lake_file
            WHERE table_id = @table AND added_snapshot <= @snapshot AND (removed_snapshot IS NULL OR removed_snapshot > @snapshot)
            ORDER BY id
            """, connection, transaction);
        command.Parameters.AddWithValue("table", tableId);
        command.Parameters.AddWithValue("snapshot", snapshotId);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var files = new List<LakeDataFile>();
        while (await reader.ReadAsync(ct))
        {
            files.Add(new LakeDataFile(reader.GetInt64(0), reader.GetString(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt32(4), reader.GetInt64(5),
                reader.IsDBNull(6) ? null : reader.GetInt64(6)) { Delta = reader.GetBoolean(7), SupersededRows = reader.GetInt64(8) });
        }

        return files;
    }

    /// <summary>
    /// Runs a catalog transaction, again after a serialization failure (40001) or deadlock (40P01) — decided by
    /// SQLSTATE, never by message — with a short random back-off; a collision on the last attempt becomes a
    /// <see cref="LakeConflictException"/>. Returns the result and how many attempts it took.
    /// </summary>
    private async Task<(T Result, int Attempts)> RetryOnConflictAsync<T>(string table, Func<Task<T>> attempt, CancellationToken ct)
    {
        for (var i = 1; ; i++)
        {
            try
            {
                return (await attempt(), i);
            }
            catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected && i < CommitAttempts)
            {
                LogRetry(_logger, table, i, e.SqlState);
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 20 * i)), ct);
            }
            catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected)
            {
                throw new LakeConflictException($"{table}: the commit kept colliding with concurrent commits ({CommitAttempts} attempts); nothing was committed.", e);
            }
        }
    }

    private static void ValidateTableName(string name)
    {
        if (!LakeStorage.IsTableName(name ?? string.Empty))
        {
            throw new LakeSchemaException($"'{name}' is not a lake table name: use schema.table in lower-case letters, digits and '_'.");
        }
    }

    private static void ValidateColumnName(string table, string column)
    {
        if (!LakeStorage.IsIdentifier(column) || column.StartsWith("__", StringComparison.Ordinal))
        {
            throw new LakeSchemaException($"'{column}' is not a column name for {table}: use a lower-case identifier not starting with '__'.");
        }
    }

    private static KeyNotFoundException UnknownTable(string name) => new($"There is no lake table '{name}'.");
}
