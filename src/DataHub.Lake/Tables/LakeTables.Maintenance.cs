using DataHub.DuckDb;
using Npgsql;

namespace DataHub.Lake.Tables;

public sealed partial class LakeTables
{
    /// <summary>Files below this size are merged by <see cref="CompactAsync"/>.</summary>
    public const long SmallFileBytes = 64L * 1024 * 1024;

    /// <summary>
    /// Rewrites the table's small live files into one (sorted by the key). The old files stay referenced by
    /// older snapshots, so time travel keeps working until those snapshots expire. Returns null when there is
    /// nothing to compact.
    /// </summary>
    public async Task<LakeCommitResult?> CompactAsync(string name, LakeCommit commit, CancellationToken ct = default)
    {
        var table = await GetTableAsync(name, LakeVersion.Current, ct);
        await using var connection = await _catalog.OpenConnectionAsync(ct);
        var live = await LiveFilesAsync(connection, null, table.Id, table.SnapshotId, ct);
        var schemas = await LoadAllSchemasAsync(connection, null, table.Id, ct);
        using var duck = new DuckDbConnection("Data Source=:memory:");
        duck.Open();
        if (live.Any(f => f.Delta))
        {
            // A delta (ReplaceKeysAsync) is folded with every data file: the table as it reads, in one file.
            var visible = live.Sum(f => f.RowCount - f.SupersededRows);
            var whole = WriteFile(duck, table, ReadSql(live, table, schemas), visible);
            return await CommitAsync(table, whole is null ? [] : [whole], live, "compact", 0, 0, rebase: false,
                commit with { Message = commit.Message ?? $"folded the delta into {live.Count - 1} data file(s) ({visible} rows) as one" }, ct);
        }

        var small = live.Where(f => f.SizeBytes < SmallFileBytes).ToList();
        if (small.Count < 2)
        {
            return null;
        }

        var rows = small.Sum(f => f.RowCount);
        var file = WriteFile(duck, table, ScanSql(small, table.Columns, schemas, withFileName: false), rows);
        var result = await CommitAsync(table, file is null ? [] : [file], small, "compact", 0, 0, rebase: true,
            commit with { Message = commit.Message ?? $"compacted {small.Count} files ({rows} rows) into one" }, ct);
        return result;
    }

    /// <summary>
    /// Removes snapshots committed before <paramref name="cutoff"/> (never a table's current one) and then the
    /// files no remaining snapshot can read, from the catalog and from disk.
    /// </summary>
    public async Task<LakeMaintenanceResult> ExpireAsync(DateTimeOffset cutoff, CancellationToken ct = default)
    {
        var paths = new List<string>();
        int expired;
        await using (var connection = await _catalog.OpenConnectionAsync(ct))
        await using (var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.Serializable, ct))
        {
            await using (var delete = new NpgsqlCommand(
                """
                DELETE FROM datahub.lake_snapshot s USING datahub.lake_table t
                WHERE t.id = s.table_id AND s.committed_at < @cutoff AND s.id <> t.current_snapshot_id
                """, connection, transaction))
            {
                delete.Parameters.AddWithValue("cutoff", cutoff.ToUniversalTime());
                expired = await delete.ExecuteNonQueryAsync(ct);
            }

            await using (var files = new NpgsqlCommand(
                """
                DELETE FROM datahub.lake_file f
                WHERE f.removed_snapshot IS NOT NULL
                  AND NOT EXISTS (SELECT 1 FROM datahub.lake_snapshot s
                                  WHERE s.table_id = f.table_id AND s.id >= f.added_snapshot AND s.id < f.removed_snapshot)
                RETURNING f.path
                """, connection, transaction))
            {
                await using var reader = await files.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                    paths.Add(reader.GetString(0));
                }
            }

            await transaction.CommitAsync(ct);
        }

        // Deleted only after the catalog stopped referencing them, so a crash here leaves orphans for the sweep.
        foreach (var path in paths)
        {
            File.Delete(Storage.Resolve(path));
        }

        return new LakeMaintenanceResult(expired, paths);
    }

    /// <summary>
    /// Deletes Parquet files under the lake that the catalog does not reference (the leftovers of writers that
    /// died before committing) and that are older than <paramref name="grace"/>, which protects writes in flight.
    /// </summary>
    public async Task<LakeMaintenanceResult> SweepAsync(TimeSpan grace, CancellationToken ct = default)
    {
        var referenced = new HashSet<string>(StringComparer.Ordinal);
        await using (var command = _catalog.CreateCommand(
            "SELECT path FROM datahub.lake_file UNION SELECT path FROM datahub.data_file"))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                referenced.Add(reader.GetString(0));
            }
        }

        var deleted = new List<string>();
        var threshold = DateTime.UtcNow - grace;
        foreach (var file in Directory.EnumerateFiles(Storage.Root, "*.parquet", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(Storage.Root, file).Replace('\\', '/');
            if (!referenced.Contains(relative) && File.GetLastWriteTimeUtc(file) <= threshold)
            {
                File.Delete(file);
                deleted.Add(relative);
            }
        }

        return new LakeMaintenanceResult(0, deleted);
    }
}
