using DataHub.Catalog.Tests;
using DataHub.Lake.Tables;

namespace DataHub.Lake.Tests;

[Collection(PostgresTestGroup.Name)]
public sealed class LakeCommitTests(PostgresFixture postgres) : LakeTestBase(postgres)
{
    [Fact]
    public async Task An_append_becomes_a_snapshot_with_a_sorted_zstd_file_and_statistics()
    {
        await CreateReadingsAsync();
        var result = await Tables.AppendAsync(Duck, "water.readings",
            Values("('B', DATE '2026-10-02', 1.50, 7)", "('A', DATE '2026-10-01', 0.25, NULL)"), By("first load"));

        Assert.Equal("append", result.Snapshot.Operation);
        Assert.Equal(2, result.Snapshot.RowsAdded);
        var file = Assert.Single(result.FilesAdded);
        Assert.Equal(["A|2026-10-01|0.25|∅", "B|2026-10-02|1.50|7"], await RowsAsync("water.readings"));

        // Rows are sorted by the key inside the file, and it is zstd-compressed.
        using (var command = new DataHub.DuckDb.DuckDbCommand(
            $"SELECT list(account_no) FROM read_parquet('{Tables.Storage.Resolve(file.Path)}')", Duck))
        {
            Assert.Equal("['A', 'B']", command.ExecuteScalar());
        }

        using (var command = new DataHub.DuckDb.DuckDbCommand(
            $"SELECT DISTINCT compression FROM parquet_metadata('{Tables.Storage.Resolve(file.Path)}')", Duck))
        {
            Assert.Equal("ZSTD", command.ExecuteScalar());
        }

        var history = await Tables.HistoryAsync("water.readings");
        Assert.Equal(["append", "create"], history.Select(s => s.Operation));
        Assert.Equal("first load", history[0].Message);
        Assert.Equal(history[1].Id, history[0].ParentId);
    }

    [Fact]
    public async Task A_large_append_is_written_in_key_order_across_all_its_row_groups()
    {
        // Rows arrive scrambled, several row groups' worth, read on every core: the file must still be in key order
        // throughout (one ORDER BY feeding the COPY; the batches it emits must reach the file in order).
        await CreateReadingsAsync("water.large");
        var result = await Tables.AppendAsync(Duck, "water.large",
            "SELECT 'A' || lpad(((i * 7919) % 400000)::VARCHAR, 6, '0') AS account_no, DATE '2026-10-01' + (i % 3)::INTEGER AS day, " +
            "(i % 1000) / 10.0 AS usage, i::INTEGER AS meter FROM range(400000) t(i)", By("large"));
        var file = Assert.Single(result.FilesAdded);
        var path = Tables.Storage.Resolve(file.Path);
        using var command = new DataHub.DuckDb.DuckDbCommand($"""
            SELECT count(*), count(*) FILTER (WHERE previous_account > account_no OR (previous_account = account_no AND previous_day > day)),
                   (SELECT count(*) FROM parquet_metadata('{path}') WHERE path_in_schema = 'account_no')
            FROM (SELECT account_no, day, lag(account_no) OVER w AS previous_account, lag(day) OVER w AS previous_day
                  FROM read_parquet('{path}', file_row_number = true) WINDOW w AS (ORDER BY file_row_number))
            """, Duck);
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());
        Assert.Equal(400000, reader.GetInt64(0));
        Assert.Equal(0, reader.GetInt64(1));
        Assert.True(reader.GetInt64(2) >= 3, $"{reader.GetInt64(2)} row group(s)");
    }

    [Fact]
    public async Task A_files_column_statistics_are_what_min_max_and_a_null_count_over_its_rows_give_for_every_type()
    {
        // Types the footer answers for, and the cases it cannot: NaN, long strings (cut or left out), UUID, BLOB, FLOAT.
        (string Name, string Type, string Value)[] columns =
        [
            ("k", "BIGINT", "i"),
            ("flag", "BOOLEAN", "i % 3 = 0"),
            ("small", "INTEGER", "(i % 7 - 3)::INTEGER"),
            ("amount", "DECIMAL(38,2)", "(i * 12345678901234567.89)::DECIMAL(38,2)"),
            ("usage", "DECIMAL(10,1)", "CASE WHEN i % 4 = 0 THEN NULL ELSE (i * 1.5)::DECIMAL(10,1) END"),
            ("day", "DATE", "DATE '2024-01-01' + i::INTEGER"),
            ("at", "TIMESTAMP", "TIMESTAMP '2024-01-01 08:00:00' + to_seconds(i * 37)"),
            ("at_tz", "TIMESTAMP WITH TIME ZONE", "TIMESTAMPTZ '2024-01-01 08:00:00+08' + to_seconds(i * 41)"),
            ("clock", "TIME", "TIME '01:02:03' + to_seconds(i)"),
            ("ratio", "DOUBLE", "CASE WHEN i = 7 THEN 'NaN'::DOUBLE ELSE -(i::DOUBLE) / 3 END"),
            ("name", "VARCHAR", "'户籍' || i"),
            ("long_ascii", "VARCHAR", "repeat('a', 300) || i"),
            ("long_cjk", "VARCHAR", "repeat('长', 100) || i"),
            ("none", "VARCHAR", "NULL"),
            ("id", "UUID", "uuid()"),
            ("raw", "BLOB", "encode('b' || i)"),
            ("share", "FLOAT", "(i / 7)::FLOAT"),
        ];
        await Tables.CreateTableAsync("stats.types", [.. columns.Select(c => new LakeColumnDefinition(c.Name, c.Type))], ["k"], By("create"));
        var result = await Tables.AppendAsync(Duck, "stats.types",
            $"SELECT {string.Join(", ", columns.Select(c => $"{c.Value} AS \"{c.Name}\""))} FROM range(3000) t(i)", By("load"));
        var file = Assert.Single(result.FilesAdded);

        string stored;
        await using (var command = Catalog.CreateCommand("SELECT column_stats::text FROM datahub.lake_file WHERE path = @path"))
        {
            command.Parameters.AddWithValue("path", file.Path);
            stored = (string)(await command.ExecuteScalarAsync())!;
        }

        var table = await Tables.GetTableAsync("stats.types", LakeVersion.Current);
        using var parsed = System.Text.Json.JsonDocument.Parse(stored);
        using var scan = new DataHub.DuckDb.DuckDbCommand(
            "SELECT " + string.Join(", ", columns.Select(c => $"min(\"{c.Name}\")::VARCHAR, max(\"{c.Name}\")::VARCHAR, count(*) - count(\"{c.Name}\")")) +
            $" FROM read_parquet('{Tables.Storage.Resolve(file.Path)}')", Duck);
        using var reader = scan.ExecuteReader();
        Assert.True(reader.Read());
        for (var i = 0; i < columns.Length; i++)
        {
            var entry = parsed.RootElement.GetProperty(table.Columns.Single(c => c.Name == columns[i].Name).FieldId.ToString(System.Globalization.CultureInfo.InvariantCulture));
            string? Text(string property) => entry.GetProperty(property).ValueKind == System.Text.Json.JsonValueKind.Null ? null : entry.GetProperty(property).GetString();
            Assert.True((reader.IsDBNull(3 * i) ? null : reader.GetString(3 * i)) == Text("min"), $"{columns[i].Name}: min {Text("min")} stored, {reader.GetValue(3 * i)} scanned");
            Assert.True((reader.IsDBNull((3 * i) + 1) ? null : reader.GetString((3 * i) + 1)) == Text("max"), $"{columns[i].Name}: max {Text("max")} stored, {reader.GetValue((3 * i) + 1)} scanned");
            Assert.Equal(reader.GetInt64((3 * i) + 2), entry.GetProperty("nulls").GetInt64());
        }
    }

    [Fact]
    public async Task A_reader_never_sees_a_commit_until_the_pointer_moves()
    {
        await CreateReadingsAsync("water.pending");
        await Tables.AppendAsync(Duck, "water.pending", Values("('A', DATE '2026-10-01', 1.00, 1)"), By("one"));

        var writer = NewTables();
        var parquetWritten = new TaskCompletionSource<IReadOnlyList<string>>(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        writer.BeforeCommit = async paths =>
        {
            parquetWritten.SetResult(paths);
            await release.Task;
        };
        using var writerDuck = new DataHub.DuckDb.DuckDbConnection();
        writerDuck.Open();
        var append = writer.AppendAsync(writerDuck, "water.pending", Values("('B', DATE '2026-10-01', 2.00, 2)"), By("two"));

        var paths = await parquetWritten.Task;
        Assert.True(File.Exists(Tables.Storage.Resolve(Assert.Single(paths))), "the Parquet file is written before the commit");
        Assert.Equal(["A|2026-10-01|1.00|1"], await RowsAsync("water.pending"));

        release.SetResult();
        await append;
        Assert.Equal(["A|2026-10-01|1.00|1", "B|2026-10-01|2.00|2"], await RowsAsync("water.pending"));
    }

    [Fact]
    public async Task A_writer_dying_between_parquet_and_commit_leaves_only_an_orphan_that_the_sweep_removes()
    {
        await CreateReadingsAsync("water.crash");
        var kept = await Tables.AppendAsync(Duck, "water.crash", Values("('A', DATE '2026-10-01', 1.00, 1)"), By("kept"));

        var dying = NewTables();
        IReadOnlyList<string> orphans = [];
        dying.BeforeCommit = paths =>
        {
            orphans = paths;
            throw new InvalidOperationException("process killed");
        };
        await Assert.ThrowsAsync<InvalidOperationException>(() => dying.AppendAsync(Duck, "water.crash", Values("('Z', DATE '2026-10-09', 9.00, 9)"), By("lost")));

        var orphan = Assert.Single(orphans);
        Assert.True(File.Exists(Tables.Storage.Resolve(orphan)));
        Assert.Equal(["A|2026-10-01|1.00|1"], await RowsAsync("water.crash"));
        Assert.Equal(kept.Snapshot.Id, (await Tables.GetTableAsync("water.crash")).SnapshotId);

        // A sweep with a grace period keeps files that may belong to writes in flight.
        Assert.Empty((await Tables.SweepAsync(TimeSpan.FromHours(1))).FilesDeleted);
        var swept = await Tables.SweepAsync(TimeSpan.Zero);
        Assert.Equal([orphan], swept.FilesDeleted);
        Assert.False(File.Exists(Tables.Storage.Resolve(orphan)));
        Assert.True(File.Exists(Tables.Storage.Resolve(Assert.Single(kept.FilesAdded).Path)));
        Assert.Equal(["A|2026-10-01|1.00|1"], await RowsAsync("water.crash"));
    }

    [Fact]
    public async Task Concurrent_appends_all_land_none_is_lost()
    {
        await CreateReadingsAsync("water.parallel");
        const int writers = 6;
        var results = await Task.WhenAll(Enumerable.Range(0, writers).Select(async w =>
        {
            var tables = NewTables();
            using var duck = new DataHub.DuckDb.DuckDbConnection();
            duck.Open();
            return await tables.AppendAsync(duck, "water.parallel",
                $"SELECT 'W{w}-' || i AS account_no, DATE '2026-10-01' AS day, 1.00 AS usage, i::INTEGER AS meter FROM range(100) r(i)", By($"writer {w}"));
        }));

        Assert.Equal(writers * 100, (await RowsAsync("water.parallel")).Count);
        Assert.Equal(writers, results.Select(r => r.Snapshot.Id).Distinct().Count());
        var history = await Tables.HistoryAsync("water.parallel");
        // Every snapshot's parent is the one before it: the commits formed one line, none was overwritten.
        var chain = history.OrderBy(s => s.Id).ToList();
        for (var i = 1; i < chain.Count; i++)
        {
            Assert.Equal(chain[i - 1].Id, chain[i].ParentId);
        }
    }

    [Fact]
    public async Task Racing_merges_both_take_effect_the_loser_redoes_its_work()
    {
        await CreateReadingsAsync("water.race");
        await Tables.AppendAsync(Duck, "water.race", Values("('A', DATE '2026-10-01', 1.00, 1)", "('B', DATE '2026-10-01', 1.00, 1)"), By("base"));

        var slow = NewTables();
        var prepared = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var proceed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var calls = 0;
        slow.BeforeCommit = async _ =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                prepared.SetResult();
                await proceed.Task;
            }
        };
        using var slowDuck = new DataHub.DuckDb.DuckDbConnection();
        slowDuck.Open();
        var slowMerge = slow.MergeAsync(slowDuck, "water.race", Values("('A', DATE '2026-10-01', 5.00, 2)"), By("slow"));
        await prepared.Task;

        // The other writer commits first, on the same base.
        await Tables.MergeAsync(Duck, "water.race", Values("('B', DATE '2026-10-01', 7.00, 2)"), By("fast"));
        proceed.SetResult();
        var result = await slowMerge;

        Assert.Equal(2, calls);
        Assert.Equal(["A|2026-10-01|5.00|2", "B|2026-10-01|7.00|2"], await RowsAsync("water.race"));
        Assert.Equal(1, result.Snapshot.RowsAdded);
        Assert.Equal(1, result.Snapshot.RowsRemoved);
    }

    [Fact]
    public async Task An_overwrite_that_keeps_losing_reports_a_clear_conflict_and_commits_nothing()
    {
        await CreateReadingsAsync("water.conflict");
        await Tables.AppendAsync(Duck, "water.conflict", Values("('A', DATE '2026-10-01', 1.00, 1)"), By("base"));
        var loser = NewTables();
        using var otherDuck = new DataHub.DuckDb.DuckDbConnection();
        otherDuck.Open();
        var n = 0;
        loser.BeforeCommit = async _ =>
        {
            // Before each of the loser's commits, someone else appends.
            await Tables.AppendAsync(otherDuck, "water.conflict", Values($"('X{Interlocked.Increment(ref n)}', DATE '2026-10-01', 1.00, 1)"), By("interloper"));
        };

        var error = await Assert.ThrowsAsync<LakeConflictException>(() => loser.OverwriteAsync(Duck, "water.conflict", Values("('O', DATE '2026-10-01', 0.00, 0)"), By("overwrite")));
        Assert.Contains("water.conflict changed", error.Message, StringComparison.Ordinal);
        var rows = await RowsAsync("water.conflict");
        Assert.DoesNotContain(rows, r => r.StartsWith("O|", StringComparison.Ordinal));
        Assert.Equal(1 + n, rows.Count);
        Assert.Empty((await Tables.SweepAsync(TimeSpan.Zero)).FilesDeleted);
    }

    [Fact]
    public async Task Rows_that_do_not_fit_the_schema_are_refused_naming_the_columns()
    {
        await CreateReadingsAsync("water.strict");
        var error = await Assert.ThrowsAsync<LakeSchemaException>(() =>
            Tables.AppendAsync(Duck, "water.strict", "SELECT 'A' AS account_no, 1 AS bogus", By("bad")));
        Assert.Contains("bogus", error.Message, StringComparison.Ordinal);
        Assert.Single(await Tables.HistoryAsync("water.strict"));
    }
}
