using System.Globalization;
using System.Text;
using DataHub.DuckDb;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace DataHub.Lake.Tables;

public sealed partial class LakeTables
{
    private const string Source = "__lake_source";

    /// <summary>The column of a delta file that marks a tombstone: the leading key value has no rows any more.</summary>
    internal const string DeletedColumn = "__lake_deleted";

    /// <summary>The share of the data files' rows above which <see cref="ReplaceKeysAsync"/> folds its delta into them.</summary>
    public const double DefaultFoldFraction = 0.1;

    /// <summary>Adds the rows of a query (run on <paramref name="duck"/>) as a new snapshot. Never conflicts: a concurrent commit is re-based.</summary>
    public async Task<LakeCommitResult> AppendAsync(DuckDbConnection duck, string name, string selectSql, LakeCommit commit, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(duck);
        var table = await GetTableAsync(name, LakeVersion.Current, ct);
        // Appends need no staging copy: the rows go from the caller's query through the casts into the file.
        var file = WriteFile(duck, table, CastSelect(duck, table, selectSql), expectedRows: null);
        duck.Execute("DROP VIEW __lake_input");
        return await CommitAsync(table, file is null ? [] : [file], [], "append", file?.RowCount ?? 0, 0, rebase: true, commit, ct);
    }

    /// <summary>
    /// Writes the rows of a query as a Parquet file for <paramref name="name"/> without committing it: the append
    /// becomes visible only with the commit it is passed to in <see cref="LakeCommit.Also"/>.
    /// </summary>
    public async Task<LakePreparedAppend> PrepareAppendAsync(DuckDbConnection duck, string name, string selectSql, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(duck);
        var table = await GetTableAsync(name, LakeVersion.Current, ct);
        var rows = StageSource(duck, table, selectSql);
        var file = WriteFile(duck, table, $"SELECT * FROM {Source}", rows);
        return new LakePreparedAppend(table, file?.Path, rows, file?.SizeBytes ?? 0, file?.SchemaVersion ?? table.SchemaVersion, file?.Stats);
    }

    /// <summary>
    /// Like <see cref="PrepareAppendAsync"/>, but the rows go from the query straight into the Parquet file (no staging
    /// copy), on the table as it was read by the caller: for one large query that should be run once, such as a
    /// pipeline's parse-type-gate pass over its input files. Not committed until passed to
    /// <see cref="CommitPreparedAsync(LakePreparedAppend, LakeCommit, CancellationToken)"/>; a schema change in between
    /// is a conflict there.
    /// </summary>
    /// <param name="duck">The connection the query runs on.</param>
    /// <param name="table">The table, as read by <see cref="GetTableAsync"/> at its current version.</param>
    /// <param name="selectSql">The rows; columns by name, cast to the table's types.</param>
    public LakePreparedAppend PrepareStreamingAppend(DuckDbConnection duck, LakeTableInfo table, string selectSql)
    {
        ArgumentNullException.ThrowIfNull(duck);
        ArgumentNullException.ThrowIfNull(table);
        var file = WriteFile(duck, table, CastSelect(duck, table, selectSql), expectedRows: null);
        duck.Execute("DROP VIEW __lake_input");
        return new LakePreparedAppend(table, file?.Path, file?.RowCount ?? 0, file?.SizeBytes ?? 0, file?.SchemaVersion ?? table.SchemaVersion, file?.Stats);
    }

    /// <summary>Deletes the file of a prepared append that will not be committed (a run that failed after writing it).</summary>
    public void DiscardPrepared(LakePreparedAppend append)
    {
        ArgumentNullException.ThrowIfNull(append);
        if (append.Path is not null)
        {
            File.Delete(Storage.Resolve(append.Path));
        }
    }

    /// <summary>Commits a prepared append on its own (with the bookkeeping and other appends of <paramref name="commit"/>).</summary>
    public async Task<LakeCommitResult> CommitPreparedAsync(LakePreparedAppend append, LakeCommit commit, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(append);
        ArgumentNullException.ThrowIfNull(commit);
        var table = await GetTableAsync(append.Table.Name, LakeVersion.Current, ct);
        IReadOnlyList<NewFile> files = append.Path is null ? [] : [new NewFile(append.Path, append.Rows, append.SizeBytes, append.SchemaVersion, append.Stats ?? "{}")];
        return await CommitAsync(table, files, [], "append", append.Rows, 0, rebase: true, commit, ct);
    }

    /// <summary>
    /// Replaces the rows for which a SQL predicate over the table's columns is true with the rows of a query, in one
    /// snapshot (overwrite a partition: <c>reading_date IN (SELECT reading_date FROM staged)</c>). Only the files
    /// holding matching rows are rewritten. The predicate is trusted SQL from the caller.
    /// </summary>
    public Task<LakeCommitResult> ReplaceWhereAsync(DuckDbConnection duck, string name, string predicateSql, string selectSql, LakeCommit commit, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(duck);
        ArgumentException.ThrowIfNullOrWhiteSpace(predicateSql);
        return WithRetryAsync(name, async (table, live, token) =>
        {
            RefuseDelta(table, live, "replace");
            var rows = StageSource(duck, table, selectSql);
            var affected = await AffectedFilesAsync(duck, table, live, $"({predicateSql})", token);
            var schemas = await SchemasAsync(table.Id, token);
            var kept = $"SELECT * EXCLUDE (filename) FROM ({ScanSql(affected, table.Columns, schemas, withFileName: true)}) t WHERE ({predicateSql}) IS NOT TRUE";
            var keptRows = affected.Count == 0 ? 0 : Scalar(duck, $"SELECT count(*) FROM ({kept})");
            var content = affected.Count == 0 ? $"SELECT * FROM {Source}" : $"{kept} UNION ALL SELECT * FROM {Source}";
            var file = WriteFile(duck, table, content, keptRows + rows);
            return await CommitAsync(table, file is null ? [] : [file], affected, "overwrite", rows, affected.Sum(f => f.RowCount) - keptRows, rebase: false, commit, token);
        }, ct);
    }

    /// <summary>
    /// Replaces every row whose leading key column holds one of the values of <paramref name="keysSql"/> (a SELECT of one
    /// column) or of the new rows with the rows of <paramref name="selectSql"/>, in one snapshot — like
    /// <see cref="ReplaceWhereAsync"/> with <c>key IN (keys)</c>, but merged on read: the new rows, and a tombstone for each
    /// value left without rows, go to the table's delta file (rewritten with the previous delta's other values), and the
    /// data files stay as they are. Every scan (<see cref="ScanAsync"/>, views, change feeds) reads the data files without
    /// the rows the delta replaces, plus the delta's rows, so readers see one table. When the delta would exceed
    /// <paramref name="foldFraction"/> of the data files' rows, it is folded into them instead (one rewrite of the table,
    /// as <see cref="CompactAsync"/> does). The table needs a key. While a delta is live, only this, overwrite and
    /// compaction may write the table (other writes are refused: fold it first with <see cref="CompactAsync"/>).
    /// </summary>
    /// <param name="duck">The connection the queries run on.</param>
    /// <param name="name">The table.</param>
    /// <param name="keysSql">The leading key values to replace (trusted SQL from the caller), one column.</param>
    /// <param name="selectSql">The new rows for them (columns by name); their own key values are replaced too.</param>
    /// <param name="commit">Author and message.</param>
    /// <param name="foldFraction">Fold when the delta's rows would exceed this share of the data files' rows.</param>
    /// <param name="ct">Cancels.</param>
    public Task<LakeCommitResult> ReplaceKeysAsync(DuckDbConnection duck, string name, string keysSql, string selectSql, LakeCommit commit, double foldFraction = DefaultFoldFraction, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(duck);
        ArgumentException.ThrowIfNullOrWhiteSpace(keysSql);
        return WithRetryAsync(name, async (table, live, token) =>
        {
            if (table.KeyColumns.Count == 0)
            {
                throw new LakeSchemaException($"Table {table.Name} has no key, so rows cannot be replaced by key; use ReplaceWhereAsync.");
            }

            var leadColumn = table.Columns.First(c => c.Name == table.KeyColumns[0]);
            var lead = $"\"{leadColumn.Name}\"";
            var rows = StageSource(duck, table, selectSql);
            duck.Execute($"""
                CREATE OR REPLACE TEMP TABLE __lake_keys AS
                SELECT DISTINCT k AS {lead} FROM (SELECT CAST(t.k AS {leadColumn.Type}) AS k FROM ({keysSql}) AS t(k) UNION ALL SELECT {lead} FROM {Source}) AS u WHERE k IS NOT NULL
                """);
            var schemas = await SchemasAsync(table.Id, token);
            var data = live.Where(f => !f.Delta).ToList();
            var old = live.Where(f => f.Delta).ToList();
            var nulls = string.Join(", ", table.Columns.Select(c => c.Name == leadColumn.Name ? $"k.{lead}" : $"CAST(NULL AS {c.Type}) AS \"{c.Name}\""));
            var previous = old.Count == 0
                ? string.Empty
                : $" UNION ALL SELECT * FROM ({ScanSql(old, table.Columns, schemas, withFileName: false, extraColumn: DeletedColumn)}) AS o WHERE NOT EXISTS (SELECT 1 FROM __lake_keys k WHERE k.{lead} = o.{lead})";
            duck.Execute($"""
                CREATE OR REPLACE TEMP TABLE __lake_delta AS
                SELECT *, false AS {DeletedColumn} FROM {Source}
                UNION ALL SELECT {nulls}, true AS {DeletedColumn} FROM __lake_keys k WHERE NOT EXISTS (SELECT 1 FROM {Source} s WHERE s.{lead} = k.{lead}){previous}
                """);
            var deltaRows = Scalar(duck, "SELECT count(*) FROM __lake_delta");
            var liveRows = Scalar(duck, $"SELECT count(*) FROM __lake_delta WHERE NOT {DeletedColumn}");
            var dataSql = ScanSql(data, table.Columns, schemas, withFileName: false);
            var superseded = data.Count == 0 ? 0 : Scalar(duck, $"SELECT count(*) FROM (SELECT {lead} FROM ({dataSql})) AS b WHERE {lead} IN (SELECT {lead} FROM __lake_delta)");
            var dataRows = data.Sum(f => f.RowCount);
            var names = string.Join(", ", table.Columns.Select(c => $"\"{c.Name}\""));
            if (deltaRows > foldFraction * dataRows)
            {
                // Folded: the data files without the replaced rows, and the delta's live rows, as one data file.
                var kept = $"SELECT * FROM ({dataSql}) AS b WHERE NOT EXISTS (SELECT 1 FROM __lake_delta d WHERE d.{lead} = b.{lead})";
                var folded = WriteFile(duck, table, $"{kept} UNION ALL SELECT {names} FROM __lake_delta WHERE NOT {DeletedColumn}", dataRows - superseded + liveRows);
                return await CommitAsync(table, folded is null ? [] : [folded], live, "overwrite", rows, superseded + old.Sum(f => f.RowCount), rebase: false, commit, token);
            }

            var file = WriteFile(duck, table, "SELECT * FROM __lake_delta", deltaRows);
            IReadOnlyList<NewFile> added = file is null ? [] : [file with { RowCount = liveRows, Delta = true, SupersededRows = superseded }];
            // Rows removed as the history counts them: those visible before, less those visible after, plus those added.
            var before = dataRows + old.Sum(f => f.RowCount - f.SupersededRows);
            var after = dataRows - superseded + liveRows;
            return await CommitAsync(table, added, old, "delta", rows, Math.Max(0, before - after + rows), rebase: false, commit, token);
        }, ct);
    }

    /// <summary>Replaces the table's rows with those of a query.</summary>
    public Task<LakeCommitResult> OverwriteAsync(DuckDbConnection duck, string name, string selectSql, LakeCommit commit, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(duck);
        return WithRetryAsync(name, async (table, live, token) =>
        {
            var rows = StageSource(duck, table, selectSql);
            var file = WriteFile(duck, table, $"SELECT * FROM {Source}", rows);
            return await CommitAsync(table, file is null ? [] : [file], live, "overwrite", rows, live.Sum(f => f.RowCount), rebase: false, commit, token);
        }, ct);
    }

    /// <summary>
    /// Upserts the rows of a query by the table's key: rows whose key exists are replaced, the others added.
    /// Only the files that hold one of the keys are rewritten (copy-on-write); the rest stay as they are.
    /// </summary>
    public Task<LakeCommitResult> MergeAsync(DuckDbConnection duck, string name, string selectSql, LakeCommit commit, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(duck);
        return WithRetryAsync(name, async (table, live, token) =>
        {
            if (table.KeyColumns.Count == 0)
            {
                throw new LakeSchemaException($"Table {table.Name} has no key, so rows cannot be merged; append or overwrite instead.");
            }

            RefuseDelta(table, live, "merge");

            var rows = StageSource(duck, table, selectSql);
            var key = string.Join(", ", table.KeyColumns.Select(k => $"\"{k}\""));
            var duplicates = Scalar(duck, $"SELECT count(*) FROM (SELECT {key} FROM {Source} GROUP BY {key} HAVING count(*) > 1)");
            if (duplicates > 0)
            {
                throw new LakeSchemaException($"The rows to merge into {table.Name} repeat {duplicates} key value(s) of ({string.Join(", ", table.KeyColumns)}); each key may appear once.");
            }

            var match = string.Join(" AND ", table.KeyColumns.Select(k => $"t.\"{k}\" IS NOT DISTINCT FROM s.\"{k}\""));
            var affected = await AffectedFilesAsync(duck, table, live, $"EXISTS (SELECT 1 FROM {Source} s WHERE {match})", token);
            var schemas = await SchemasAsync(table.Id, token);
            var affectedRows = affected.Sum(f => f.RowCount);
            var kept = $"SELECT * EXCLUDE (filename) FROM ({ScanSql(affected, table.Columns, schemas, withFileName: true)}) t WHERE NOT EXISTS (SELECT 1 FROM {Source} s WHERE {match})";
            var keptRows = affected.Count == 0 ? 0 : Scalar(duck, $"SELECT count(*) FROM ({kept})");
            var content = affected.Count == 0 ? $"SELECT * FROM {Source}" : $"{kept} UNION ALL SELECT * FROM {Source}";
            var file = WriteFile(duck, table, content, keptRows + rows);
            return await CommitAsync(table, file is null ? [] : [file], affected, "merge", rows, affectedRows - keptRows, rebase: false, commit, token);
        }, ct);
    }

    /// <summary>
    /// Deletes the rows for which a SQL predicate over the table's columns is true (rows where it is NULL stay,
    /// as in SQL). The predicate is trusted SQL from the caller; only the files holding such rows are rewritten.
    /// </summary>
    public Task<LakeCommitResult> DeleteAsync(DuckDbConnection duck, string name, string predicateSql, LakeCommit commit, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(duck);
        ArgumentException.ThrowIfNullOrWhiteSpace(predicateSql);
        return WithRetryAsync(name, async (table, live, token) =>
        {
            RefuseDelta(table, live, "delete");
            var affected = await AffectedFilesAsync(duck, table, live, $"({predicateSql})", token);
            var schemas = await SchemasAsync(table.Id, token);
            var kept = $"SELECT * EXCLUDE (filename) FROM ({ScanSql(affected, table.Columns, schemas, withFileName: true)}) t WHERE ({predicateSql}) IS NOT TRUE";
            var keptRows = affected.Count == 0 ? 0 : Scalar(duck, $"SELECT count(*) FROM ({kept})");
            var file = affected.Count == 0 ? null : WriteFile(duck, table, kept, keptRows);
            return await CommitAsync(table, file is null ? [] : [file], affected, "delete", 0, affected.Sum(f => f.RowCount) - keptRows, rebase: false, commit, token);
        }, ct);
    }

    private async Task<LakeCommitResult> WithRetryAsync(string name, Func<LakeTableInfo, List<LakeDataFile>, CancellationToken, Task<LakeCommitResult>> operation, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            LakeTableInfo table;
            List<LakeDataFile> live;
            await using (var connection = await _catalog.OpenConnectionAsync(ct))
            {
                table = await LoadTableAsync(connection, null, name, LakeVersion.Current, ct);
                live = await LiveFilesAsync(connection, null, table.Id, table.SnapshotId, ct);
            }

            try
            {
                return await operation(table, live, ct);
            }
            catch (LakeConflictException e) when (attempt < OperationAttempts)
            {
                LogRedo(_logger, name, attempt, e.Message);
            }
        }
    }

    /// <summary>Copies the caller's rows into a temporary table shaped like the lake table (columns by name, cast to their types).</summary>
    private static long StageSource(DuckDbConnection duck, LakeTableInfo table, string selectSql)
    {
        duck.Execute($"CREATE OR REPLACE TEMP TABLE {Source} AS {CastSelect(duck, table, selectSql)}; DROP VIEW __lake_input");
        return Scalar(duck, $"SELECT count(*) FROM {Source}");
    }

    /// <summary>
    /// A SELECT giving the caller's rows shaped like the lake table (columns by name, cast to their types), over the
    /// temporary view <c>__lake_input</c>. The query's columns are found by DESCRIBE, which binds without running it.
    /// </summary>
    private static string CastSelect(DuckDbConnection duck, LakeTableInfo table, string selectSql)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(selectSql);
        duck.Execute($"CREATE OR REPLACE TEMP VIEW __lake_input AS {selectSql}");
        var names = new List<string>();
        using (var describe = new DuckDbCommand("SELECT column_name FROM (DESCRIBE __lake_input)", duck))
        using (var reader = describe.ExecuteReader())
        {
            while (reader.Read())
            {
                names.Add(reader.GetString(0));
            }
        }

        var unknown = names.Where(n => table.Columns.All(c => c.Name != n)).ToList();
        if (unknown.Count > 0)
        {
            throw new LakeSchemaException(
                $"The rows for {table.Name} have column(s) {string.Join(", ", unknown)} that the table does not have ({string.Join(", ", table.Columns.Select(c => c.Name))}); add them to the table first.");
        }

        var select = string.Join(", ", table.Columns.Select(c => names.Contains(c.Name)
            ? $"CAST(\"{c.Name}\" AS {c.Type}) AS \"{c.Name}\""
            : $"CAST(NULL AS {c.Type}) AS \"{c.Name}\""));
        return $"SELECT {select} FROM __lake_input";
    }

    private async Task<List<LakeDataFile>> AffectedFilesAsync(DuckDbConnection duck, LakeTableInfo table, List<LakeDataFile> live, string condition, CancellationToken ct)
    {
        if (live.Count == 0)
        {
            return [];
        }

        var schemas = await SchemasAsync(table.Id, ct);
        var byPath = live.ToDictionary(f => Storage.Resolve(f.Path), StringComparer.Ordinal);
        var affected = new List<LakeDataFile>();
        using var command = new DuckDbCommand($"SELECT DISTINCT filename FROM ({ScanSql(live, table.Columns, schemas, withFileName: true)}) t WHERE {condition}", duck);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            affected.Add(byPath[reader.GetString(0)]);
        }

        return affected;
    }

    private async Task<Dictionary<int, IReadOnlyList<LakeColumn>>> SchemasAsync(long tableId, CancellationToken ct)
    {
        await using var connection = await _catalog.OpenConnectionAsync(ct);
        return await LoadAllSchemasAsync(connection, null, tableId, ct);
    }

    /// <summary>Writes one sorted, zstd-compressed Parquet file with per-column statistics; null when there are no rows.</summary>
    private NewFile? WriteFile(DuckDbConnection duck, LakeTableInfo table, string contentSql, long? expectedRows)
    {
        if (expectedRows == 0)
        {
            return null;
        }

        var relative = LakeStorage.NewTableFilePath(table.Name, DateTimeOffset.UtcNow);
        var order = table.KeyColumns.Count > 0 ? " ORDER BY " + string.Join(", ", table.KeyColumns.Select(k => $"\"{k}\"")) : string.Empty;
        var written = Storage.WriteParquet(duck, $"SELECT * FROM ({contentSql}){order}", relative);
        var full = Storage.Resolve(relative);
        if (written.RowCount == 0)
        {
            File.Delete(full);
            return null;
        }

        var columnStats = ColumnStatistics(duck, full, table.Columns);
        var stats = new StringBuilder("{");
        for (var i = 0; i < table.Columns.Count; i++)
        {
            var (min, max, nulls) = columnStats[i];
            stats.Append(i == 0 ? string.Empty : ",")
                .Append(CultureInfo.InvariantCulture, $"\"{table.Columns[i].FieldId}\":{{\"min\":{Json(min)},\"max\":{Json(max)},\"nulls\":{nulls}}}");
        }

        stats.Append('}');
        return new NewFile(written.RelativePath, written.RowCount, written.SizeBytes, table.SchemaVersion, stats.ToString());

        static string Json(string? value) => value is null ? "null" : System.Text.Json.JsonSerializer.Serialize(value);
    }

    /// <summary>
    /// Per column of a Parquet file just written: min and max as DuckDB casts them to VARCHAR, and the NULL count.
    /// Read from the file's footer (the row groups' statistics, cast back to the column's type and aggregated), so
    /// the rows are not read again; a column whose statistics the footer cannot give exactly (a type outside
    /// <see cref="FooterStatisticsTypes"/>, such as a float that may hold NaN; a row group with values but no min/max;
    /// a long string, whose footer value may be cut) is aggregated from its values instead.
    /// </summary>
    private static (string? Min, string? Max, long Nulls)[] ColumnStatistics(DuckDbConnection duck, string fullPath, IReadOnlyList<LakeColumn> columns)
    {
        var result = new (string? Min, string? Max, long Nulls)[columns.Count];
        var file = LakeStorage.SqlLiteral(fullPath);
        var scanned = new List<int>();
        var fromFooter = Enumerable.Range(0, columns.Count).Where(i => FooterStatisticsTypes.IsMatch(columns[i].Type)).ToList();
        if (fromFooter.Count > 0)
        {
            // CASE, not FILTER: a CASE casts only its own column's rows (FILTER would cast every row group's values).
            static string Of(LakeColumn c, string value) => $"CASE WHEN path_in_schema = {LakeStorage.SqlLiteral(c.Name)} THEN {value} END";
            var aggregates = string.Join(", ", fromFooter.Select(i => columns[i]).Select(c =>
                $"min({Of(c, $"CAST(stats_min_value AS {c.Type})")})::VARCHAR, max({Of(c, $"CAST(stats_max_value AS {c.Type})")})::VARCHAR, " +
                $"coalesce(sum({Of(c, "stats_null_count")}), 0)::BIGINT, " +
                $"coalesce(bool_or({Of(c, $"((stats_min_value IS NULL OR stats_max_value IS NULL OR stats_null_count IS NULL) AND (stats_null_count IS NULL OR num_values > stats_null_count)) OR strlen(stats_min_value) >= {TruncatedStatisticsBytes} OR strlen(stats_max_value) >= {TruncatedStatisticsBytes}")}), true)"));
            using var command = new DuckDbCommand($"SELECT {aggregates} FROM parquet_metadata({file})", duck);
            using var reader = command.ExecuteReader();
            reader.Read();
            for (var k = 0; k < fromFooter.Count; k++)
            {
                if (reader.GetBoolean((4 * k) + 3))
                {
                    scanned.Add(fromFooter[k]);
                    continue;
                }

                result[fromFooter[k]] = MinMaxNulls(reader, 4 * k);
            }
        }

        scanned.AddRange(Enumerable.Range(0, columns.Count).Except(fromFooter));
        if (scanned.Count > 0)
        {
            var aggregates = string.Join(", ", scanned.Select(i => columns[i].Name).Select(n => $"min(\"{n}\")::VARCHAR, max(\"{n}\")::VARCHAR, count(*) - count(\"{n}\")"));
            using var command = new DuckDbCommand($"SELECT {aggregates} FROM read_parquet({file})", duck);
            using var reader = command.ExecuteReader();
            reader.Read();
            for (var k = 0; k < scanned.Count; k++)
            {
                result[scanned[k]] = MinMaxNulls(reader, 3 * k);
            }
        }

        return result;

        static (string? Min, string? Max, long Nulls) MinMaxNulls(DuckDbDataReader reader, int at) =>
            (reader.IsDBNull(at) ? null : reader.GetString(at), reader.IsDBNull(at + 1) ? null : reader.GetString(at + 1), reader.GetInt64(at + 2));
    }

    /// <summary>
    /// Footer statistics of strings at least this long may be cut (DuckDB keeps the first 256 bytes of a long min, and
    /// a long max cut and rounded up) or left out; such a column's statistics come from its values.
    /// </summary>
    private const int TruncatedStatisticsBytes = 200;

    /// <summary>Column types whose footer statistics DuckDB writes exactly and reads back to the same VARCHAR as min()/max().</summary>
    private static readonly System.Text.RegularExpressions.Regex FooterStatisticsTypes = new(
        @"^(BOOLEAN|TINYINT|SMALLINT|INTEGER|BIGINT|DECIMAL\(\d+,\s*\d+\)|DATE|TIME|TIMESTAMP|TIMESTAMP WITH TIME ZONE|TIMESTAMPTZ|VARCHAR)$",
        System.Text.RegularExpressions.RegexOptions.CultureInvariant | System.Text.RegularExpressions.RegexOptions.IgnoreCase);

    /// <summary>
    /// The catalog transaction of a write: one SERIALIZABLE transaction that checks the base, records the
    /// snapshot and files, retires files and moves the pointer. Retried on serialization failure (40001) and
    /// deadlock (40P01). Without <paramref name="rebase"/>, any commit since the base is a conflict.
    /// </summary>
    private async Task<LakeCommitResult> CommitAsync(
        LakeTableInfo table, IReadOnlyList<NewFile> added, IReadOnlyList<LakeDataFile> removed, string operation,
        long rowsAdded, long rowsRemoved, bool rebase, LakeCommit commit, CancellationToken ct)
    {
        if (BeforeCommit is { } hook)
        {
            // Outside the clean-up below on purpose: a failure here stands for a writer that dies between
            // writing Parquet and committing, which leaves its files behind for the sweep.
            await hook(added.Select(f => f.Path).ToList());
        }

        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            var (result, attempts) = await RetryOnConflictAsync(table.Name,
                () => TryCommitAsync(table, added, removed, operation, rowsAdded, rowsRemoved, rebase, commit, ct), ct);
            return result with { Attempts = attempts, CommitDuration = System.Diagnostics.Stopwatch.GetElapsedTime(started) };
        }
        catch
        {
            foreach (var path in added.Select(f => f.Path).Concat(commit.Also.Select(a => a.Path).OfType<string>()))
            {
                File.Delete(Storage.Resolve(path));
            }

            throw;
        }
    }

    private async Task<LakeCommitResult> TryCommitAsync(
        LakeTableInfo table, IReadOnlyList<NewFile> added, IReadOnlyList<LakeDataFile> removed, string operation,
        long rowsAdded, long rowsRemoved, bool rebase, LakeCommit commit, CancellationToken ct)
    {
        await using var connection = await _catalog.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.Serializable, ct);
        var (current, currentSchema) = await CurrentPointerAsync(connection, transaction, table.Id, ct);

        if (current != table.SnapshotId && !rebase)
        {
            throw new LakeConflictException(
                $"{table.Name} changed while this {operation} was prepared (read snapshot {table.SnapshotId}, now {current}); nothing was committed.");
        }

        if (operation == "append")
        {
            await RefuseDeltaAsync(connection, transaction, table.Id, table.Name, operation, ct);
        }

        if (removed.Count > 0)
        {
            await using var check = new NpgsqlCommand("SELECT count(*) FROM datahub.lake_file WHERE id = ANY(@ids) AND removed_snapshot IS NULL", connection, transaction);
            check.Parameters.AddWithValue("ids", removed.Select(f => f.Id).ToArray());
            if ((long)(await check.ExecuteScalarAsync(ct))! != removed.Count)
            {
                throw new LakeConflictException($"{table.Name}: files this {operation} replaces were replaced by a concurrent commit; nothing was committed.");
            }
        }

        var snapshot = await InsertSnapshotAsync(connection, transaction, table.Id, current, commit, operation, rowsAdded, rowsRemoved, currentSchema, ct);
        var files = new List<LakeDataFile>();
        foreach (var file in added)
        {
            var id = await InsertFileAsync(connection, transaction, table.Id, file, snapshot.Id, ct);
            files.Add(new LakeDataFile(id, file.Path, file.RowCount, file.SizeBytes, file.SchemaVersion, snapshot.Id, null) { Delta = file.Delta, SupersededRows = file.SupersededRows });
        }

        if (removed.Count > 0)
        {
            await using var retire = new NpgsqlCommand("UPDATE datahub.lake_file SET removed_snapshot = @snapshot WHERE id = ANY(@ids)", connection, transaction);
            retire.Parameters.AddWithValue("snapshot", snapshot.Id);
            retire.Parameters.AddWithValue("ids", removed.Select(f => f.Id).ToArray());
            await retire.ExecuteNonQueryAsync(ct);
        }

        await MovePointerAsync(connection, transaction, table.Id, snapshot.Id, ct);
        foreach (var also in commit.Also)
        {
            await CommitPreparedAsync(connection, transaction, also, commit, ct);
        }

        if (commit.Within is { } within)
        {
            await within(connection, transaction, snapshot, ct);
        }

        await transaction.CommitAsync(ct);
        return new LakeCommitResult(snapshot, files, removed.Count, 1);
    }

    /// <summary>
    /// Refuses a write beside a live delta (<see cref="ReplaceKeysAsync"/>): appended rows would be hidden by it where they
    /// share its leading key values, and row-level rewrites read the data files alone.
    /// </summary>
    private static async Task RefuseDeltaAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long tableId, string name, string operation, CancellationToken ct)
    {
        await using var delta = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM datahub.lake_file WHERE table_id = @table AND removed_snapshot IS NULL AND delta)", connection, transaction);
        delta.Parameters.AddWithValue("table", tableId);
        if ((bool)(await delta.ExecuteScalarAsync(ct))!)
        {
            throw new LakeSchemaException($"{name} holds a delta of replaced rows (merged on read); fold it first (datahub table compact {name}) before a {operation}.");
        }
    }

    private static void RefuseDelta(LakeTableInfo table, List<LakeDataFile> live, string operation)
    {
        if (live.Any(f => f.Delta))
        {
            throw new LakeSchemaException($"{table.Name} holds a delta of replaced rows (merged on read); fold it first (datahub table compact {table.Name}) before a {operation}.");
        }
    }

    /// <summary>Records a prepared append on top of its table's current snapshot, inside another commit's transaction.</summary>
    private static async Task CommitPreparedAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, LakePreparedAppend append, LakeCommit commit, CancellationToken ct)
    {
        var (current, schema) = await CurrentPointerAsync(connection, transaction, append.Table.Id, ct);

        if (schema != append.Table.SchemaVersion)
        {
            throw new LakeConflictException($"{append.Table.Name}: the schema changed while rows were prepared for it; nothing was committed.");
        }

        if (append.Path is null)
        {
            return;
        }

        await RefuseDeltaAsync(connection, transaction, append.Table.Id, append.Table.Name, "append", ct);
        var snapshot = await InsertSnapshotAsync(connection, transaction, append.Table.Id, current, commit, "append", append.Rows, 0, schema, ct);
        await InsertFileAsync(connection, transaction, append.Table.Id, new NewFile(append.Path, append.Rows, append.SizeBytes, append.SchemaVersion, append.Stats ?? "{}"), snapshot.Id, ct);

        await MovePointerAsync(connection, transaction, append.Table.Id, snapshot.Id, ct);
    }

    /// <summary>The table's current snapshot and the schema version in force at it, read inside a commit's transaction.</summary>
    private static async Task<(long Snapshot, int SchemaVersion)> CurrentPointerAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long tableId, CancellationToken ct)
    {
        await using var read = new NpgsqlCommand(
            "SELECT t.current_snapshot_id, s.schema_version FROM datahub.lake_table t JOIN datahub.lake_snapshot s ON s.id = t.current_snapshot_id WHERE t.id = @table",
            connection, transaction);
        read.Parameters.AddWithValue("table", tableId);
        await using var reader = await read.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return (reader.GetInt64(0), reader.GetInt32(1));
    }

    /// <summary>Records a written Parquet file as added by a snapshot; returns its id.</summary>
    private static async Task<long> InsertFileAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long tableId, NewFile file, long snapshotId, CancellationToken ct)
    {
        await using var insert = new NpgsqlCommand(
            """
            INSERT INTO datahub.lake_file (table_id, path, row_count, size_bytes, schema_version, column_stats, added_snapshot, delta, superseded_rows)
            VALUES (@table, @path, @rows, @size, @schema, @stats::jsonb, @snapshot, @delta, @superseded) RETURNING id
            """, connection, transaction);
        insert.Parameters.AddWithValue("table", tableId);
        insert.Parameters.AddWithValue("path", file.Path);
        insert.Parameters.AddWithValue("rows", file.RowCount);
        insert.Parameters.AddWithValue("size", file.SizeBytes);
        insert.Parameters.AddWithValue("schema", file.SchemaVersion);
        insert.Parameters.AddWithValue("stats", file.Stats);
        insert.Parameters.AddWithValue("snapshot", snapshotId);
        insert.Parameters.AddWithValue("delta", file.Delta);
        insert.Parameters.AddWithValue("superseded", file.SupersededRows);
        return (long)(await insert.ExecuteScalarAsync(ct))!;
    }

    private static long Scalar(DuckDbConnection duck, string sql)
    {
        using var command = new DuckDbCommand(sql, duck);
        using var reader = command.ExecuteReader();
        return reader.Read() ? reader.GetInt64(0) : 0;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Table}: commit attempt {Attempt} collided with a concurrent commit (SQLSTATE {SqlState}); retrying")]
    private static partial void LogRetry(ILogger logger, string table, int attempt, string sqlState);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Table}: attempt {Attempt} conflicted ({Reason}); reading the table again")]
    private static partial void LogRedo(ILogger logger, string table, int attempt, string reason);

    /// <summary>A Parquet file written and not yet committed.</summary>
    private sealed record NewFile(string Path, long RowCount, long SizeBytes, int SchemaVersion, string Stats)
    {
        /// <summary>A merge-on-read delta (RowCount its live rows).</summary>
        public bool Delta { get; init; }

        /// <summary>For a delta, the data files' rows it hides.</summary>
        public long SupersededRows { get; init; }
    }
}
