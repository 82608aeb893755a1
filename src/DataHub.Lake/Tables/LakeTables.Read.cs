using System.Globalization;
using System.Text;
using System.Text.Json;
using DataHub.DuckDb;
using Npgsql;

namespace DataHub.Lake.Tables;

public sealed partial class LakeTables
{
    /// <summary>The SELECT that reads a table at a version (current, snapshot id or time).</summary>
    public async Task<LakeScan> ScanAsync(string name, LakeVersion version = default, CancellationToken ct = default)
    {
        await using var connection = await _catalog.OpenConnectionAsync(ct);
        var table = await LoadTableAsync(connection, null, name, version, ct);
        var files = await LiveFilesAsync(connection, null, table.Id, table.SnapshotId, ct);
        var schemas = await LoadAllSchemasAsync(connection, null, table.Id, ct);
        return new LakeScan(table, ReadSql(files, table, schemas), files.Sum(f => f.RowCount - f.SupersededRows));
    }

    /// <summary>
    /// The rows that differ between two snapshots of a table, in the schema of <paramref name="toSnapshot"/>, with a
    /// first column <c>_change</c> of <c>insert</c> or <c>delete</c>. Computed over the files that changed only; an
    /// updated row shows as a delete of its old values and an insert of its new ones.
    /// </summary>
    public async Task<string> ChangesSqlAsync(string name, long fromSnapshot, long toSnapshot, CancellationToken ct = default)
    {
        await using var connection = await _catalog.OpenConnectionAsync(ct);
        var from = await LoadTableAsync(connection, null, name, LakeVersion.Snapshot(fromSnapshot), ct);
        var to = await LoadTableAsync(connection, null, name, LakeVersion.Snapshot(toSnapshot), ct);
        var before = await LiveFilesAsync(connection, null, from.Id, from.SnapshotId, ct);
        var after = await LiveFilesAsync(connection, null, to.Id, to.SnapshotId, ct);
        var schemas = await LoadAllSchemasAsync(connection, null, to.Id, ct);
        var beforeIds = before.Select(f => f.Id).ToHashSet();
        var afterIds = after.Select(f => f.Id).ToHashSet();
        // A delta hides rows of files that stay: with one on either side, both states are read whole (merged).
        var merged = before.Concat(after).Any(f => f.Delta);
        var added = merged ? ReadSql(after, to, schemas) : ScanSql(after.Where(f => !beforeIds.Contains(f.Id)).ToList(), to.Columns, schemas, withFileName: false);
        var removed = merged ? ReadSql(before, to, schemas) : ScanSql(before.Where(f => !afterIds.Contains(f.Id)).ToList(), to.Columns, schemas, withFileName: false);
        return $"""
            SELECT 'insert' AS _change, * FROM (({added}) EXCEPT ALL ({removed}))
            UNION ALL
            SELECT 'delete' AS _change, * FROM (({removed}) EXCEPT ALL ({added}))
            """;
    }

    /// <summary>
    /// Makes every lake table readable by its catalog name (<c>schema.table</c>) on a DuckDB connection, as
    /// views at the given version: the current one, the state as of a time, or as of a snapshot's commit time
    /// (which then applies to every table). Tables that did not exist at that time are left out.
    /// </summary>
    public async Task<IReadOnlyList<string>> CreateViewsAsync(DuckDbConnection duck, LakeVersion version = default, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(duck);
        if (version.SnapshotId is { } snapshotId)
        {
            await using var command = _catalog.CreateCommand("SELECT committed_at FROM datahub.lake_snapshot WHERE id = @id");
            command.Parameters.AddWithValue("id", snapshotId);
            var time = await command.ExecuteScalarAsync(ct) as DateTime?
                ?? throw new KeyNotFoundException($"There is no snapshot {snapshotId} (it may have expired).");
            version = LakeVersion.At(new DateTimeOffset(DateTime.SpecifyKind(time, DateTimeKind.Utc)));
        }

        var created = new List<string>();
        foreach (var name in await ListTablesAsync(ct))
        {
            LakeScan scan;
            try
            {
                scan = await ScanAsync(name, version, ct);
            }
            catch (KeyNotFoundException) when (version.AsOf is not null)
            {
                continue;
            }

            var schema = name[..name.IndexOf('.', StringComparison.Ordinal)];
            duck.Execute($"CREATE SCHEMA IF NOT EXISTS \"{schema}\"; CREATE OR REPLACE VIEW {QuoteName(name)} AS {scan.Sql}");
            created.Add(name);
        }

        return created;
    }

    /// <summary>
    /// The rows of a table's live files: their union, or with a delta (<see cref="ReplaceKeysAsync"/>) the data files'
    /// rows whose leading key value the delta does not hold, and the delta's live rows (merge on read).
    /// </summary>
    private string ReadSql(List<LakeDataFile> files, LakeTableInfo table, Dictionary<int, IReadOnlyList<LakeColumn>> schemas)
    {
        var deltas = files.Where(f => f.Delta).ToList();
        if (deltas.Count == 0)
        {
            return ScanSql(files, table.Columns, schemas, withFileName: false);
        }

        if (deltas.Count > 1 || table.KeyColumns.Count == 0)
        {
            throw new InvalidOperationException($"{table.Name} has {deltas.Count} live delta files{(table.KeyColumns.Count == 0 ? " and no key" : string.Empty)}; a table holds at most one, by its key.");
        }

        var lead = $"\"{table.KeyColumns[0]}\"";
        var data = ScanSql(files.Where(f => !f.Delta).ToList(), table.Columns, schemas, withFileName: false);
        var delta = ScanSql(deltas, table.Columns, schemas, withFileName: false, extraColumn: DeletedColumn);
        var names = string.Join(", ", table.Columns.Select(c => $"\"{c.Name}\""));
        return $"""
            SELECT * FROM ({data}) AS b WHERE NOT EXISTS (SELECT 1 FROM ({delta}) AS d WHERE d.{lead} = b.{lead})
            UNION ALL SELECT {names} FROM ({delta}) AS d WHERE NOT d.{DeletedColumn}
            """;
    }

    private static string QuoteName(string name) => string.Join('.', name.Split('.').Select(p => $"\"{p}\""));

    private static async Task<Dictionary<int, IReadOnlyList<LakeColumn>>> LoadAllSchemasAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, long tableId, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("SELECT schema_version, columns FROM datahub.lake_schema WHERE table_id = @table", connection, transaction);
        command.Parameters.AddWithValue("table", tableId);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var schemas = new Dictionary<int, IReadOnlyList<LakeColumn>>();
        while (await reader.ReadAsync(ct))
        {
            schemas[reader.GetInt32(0)] = JsonSerializer.Deserialize<List<LakeColumn>>(reader.GetString(1), JsonOptions) ?? [];
        }

        return schemas;
    }

    /// <summary>
    /// One SELECT per schema version the files were written with, each mapping the file's physical columns to
    /// the target schema by field id: renamed columns read under their old name, widened ones are cast, added
    /// ones are NULL, dropped ones are left out. The parts are joined with UNION ALL.
    /// </summary>
    private string ScanSql(List<LakeDataFile> files, IReadOnlyList<LakeColumn> target, Dictionary<int, IReadOnlyList<LakeColumn>> schemas, bool withFileName, string? extraColumn = null)
    {
        if (files.Count == 0)
        {
            var empty = string.Join(", ", target.Select(c => $"CAST(NULL AS {c.Type}) AS \"{c.Name}\""));
            return $"SELECT {empty}{(withFileName ? ", CAST(NULL AS VARCHAR) AS filename" : string.Empty)} WHERE false";
        }

        var parts = new List<string>();
        foreach (var group in files.GroupBy(f => f.SchemaVersion).OrderBy(g => g.Key))
        {
            var written = schemas[group.Key].ToDictionary(c => c.FieldId);
            var select = new StringBuilder();
            foreach (var column in target)
            {
                if (select.Length > 0)
                {
                    select.Append(", ");
                }

                select.Append(written.TryGetValue(column.FieldId, out var physical)
                    ? physical.Type == column.Type ? $"\"{physical.Name}\"" : $"CAST(\"{physical.Name}\" AS {column.Type})"
                    : $"CAST(NULL AS {column.Type})");
                select.Append(CultureInfo.InvariantCulture, $" AS \"{column.Name}\"");
            }

            if (withFileName)
            {
                select.Append(", filename");
            }

            if (extraColumn is not null)
            {
                select.Append(CultureInfo.InvariantCulture, $", \"{extraColumn}\"");
            }

            var paths = string.Join(", ", group.Select(f => LakeStorage.SqlLiteral(Storage.Resolve(f.Path))));
            parts.Add($"SELECT {select} FROM read_parquet([{paths}]{(withFileName ? ", filename = true" : string.Empty)})");
        }

        return string.Join(" UNION ALL ", parts);
    }
}
