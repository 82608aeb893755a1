using Npgsql;

namespace DataHub.Lake.Tables;

public sealed partial class LakeTables
{
    /// <summary>Adds a nullable column (existing files read it as NULL; nothing is rewritten).</summary>
    public Task<LakeSnapshot> AddColumnAsync(string table, string column, string type, LakeCommit commit, CancellationToken ct = default) =>
        ChangeSchemaAsync(table, commit, (info, nextFieldId) =>
        {
            ValidateColumnName(table, column);
            if (info.Columns.Any(c => c.Name == column))
            {
                throw new LakeSchemaException($"{table} already has a column '{column}'.");
            }

            return ([.. info.Columns, new LakeColumn(nextFieldId, column, LakeTypes.Normalize(type))], null);
        }, ct);

    /// <summary>Renames a column; its field id, and so its data in every file, stays.</summary>
    public Task<LakeSnapshot> RenameColumnAsync(string table, string column, string newName, LakeCommit commit, CancellationToken ct = default) =>
        ChangeSchemaAsync(table, commit, (info, _) =>
        {
            ValidateColumnName(table, newName);
            var existing = Find(info, column);
            if (info.Columns.Any(c => c.Name == newName))
            {
                throw new LakeSchemaException($"{table} already has a column '{newName}'.");
            }

            var key = info.KeyColumns.Select(k => k == column ? newName : k).ToArray();
            return (info.Columns.Select(c => c == existing ? c with { Name = newName } : c).ToList(), key);
        }, ct);

    /// <summary>Drops a column from the schema (older snapshots still show it; files are not rewritten). Key columns cannot be dropped.</summary>
    public Task<LakeSnapshot> DropColumnAsync(string table, string column, LakeCommit commit, CancellationToken ct = default) =>
        ChangeSchemaAsync(table, commit, (info, _) =>
        {
            var existing = Find(info, column);
            if (info.KeyColumns.Contains(column))
            {
                throw new LakeSchemaException($"'{column}' is part of the key of {table} ({string.Join(", ", info.KeyColumns)}); a key column cannot be dropped.");
            }

            if (info.Columns.Count == 1)
            {
                throw new LakeSchemaException($"'{column}' is the last column of {table}; a table keeps at least one.");
            }

            return (info.Columns.Where(c => c != existing).ToList(), null);
        }, ct);

    /// <summary>Widens a column's type (files keep their stored type and are cast on read); narrowing or reinterpreting is refused with the reason.</summary>
    public Task<LakeSnapshot> WidenColumnAsync(string table, string column, string newType, LakeCommit commit, CancellationToken ct = default) =>
        ChangeSchemaAsync(table, commit, (info, _) =>
        {
            var existing = Find(info, column);
            var normalized = LakeTypes.Normalize(newType);
            if (LakeTypes.WhyNotWiden(existing.Type, normalized) is { } why)
            {
                throw new LakeSchemaException($"Cannot change {table}.{column} from {existing.Type} to {normalized}: {why}.");
            }

            return (info.Columns.Select(c => c == existing ? c with { Type = normalized } : c).ToList(), null);
        }, ct);

    private static LakeColumn Find(LakeTableInfo info, string column) =>
        info.Columns.FirstOrDefault(c => c.Name == column)
        ?? throw new LakeSchemaException($"{info.Name} has no column '{column}' (columns: {string.Join(", ", info.Columns.Select(c => c.Name))}).");

    private async Task<LakeSnapshot> ChangeSchemaAsync(
        string table, LakeCommit commit, Func<LakeTableInfo, int, (List<LakeColumn> Columns, string[]? Key)> change, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(commit);
        var (snapshot, _) = await RetryOnConflictAsync(table, async () =>
        {
            await using var connection = await _catalog.OpenConnectionAsync(ct);
            await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.Serializable, ct);
            var info = await LoadTableAsync(connection, transaction, table, LakeVersion.Current, ct);
            int nextFieldId;
            int nextVersion;
            await using (var read = new NpgsqlCommand(
                "SELECT next_field_id, (SELECT max(schema_version) + 1 FROM datahub.lake_schema WHERE table_id = @table) FROM datahub.lake_table WHERE id = @table",
                connection, transaction))
            {
                read.Parameters.AddWithValue("table", info.Id);
                await using var reader = await read.ExecuteReaderAsync(ct);
                await reader.ReadAsync(ct);
                nextFieldId = reader.GetInt32(0);
                nextVersion = reader.GetInt32(1);
            }

            var (columns, key) = change(info, nextFieldId);
            await InsertSchemaAsync(connection, transaction, info.Id, nextVersion, columns, ct);
            await using (var update = new NpgsqlCommand(
                "UPDATE datahub.lake_table SET next_field_id = @next, key_columns = coalesce(@key, key_columns) WHERE id = @table", connection, transaction))
            {
                update.Parameters.AddWithValue("table", info.Id);
                update.Parameters.AddWithValue("next", Math.Max(nextFieldId, columns.Max(c => c.FieldId) + 1));
                update.Parameters.Add(new NpgsqlParameter("key", NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text) { Value = (object?)key ?? DBNull.Value });
                await update.ExecuteNonQueryAsync(ct);
            }

            var snapshot = await InsertSnapshotAsync(connection, transaction, info.Id, info.SnapshotId, commit, "schema", 0, 0, nextVersion, ct);
            await MovePointerAsync(connection, transaction, info.Id, snapshot.Id, ct);
            await transaction.CommitAsync(ct);
            return snapshot;
        }, ct);
        return snapshot;
    }
}
