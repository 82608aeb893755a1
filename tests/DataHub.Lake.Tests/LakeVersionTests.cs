using DataHub.Catalog.Tests;
using DataHub.Lake.Tables;

namespace DataHub.Lake.Tests;

[Collection(PostgresTestGroup.Name)]
public sealed class LakeVersionTests(PostgresFixture postgres) : LakeTestBase(postgres)
{
    [Fact]
    public async Task Time_travel_returns_old_rows_after_overwrite_merge_delete_and_schema_changes()
    {
        const string t = "water.travel";
        await CreateReadingsAsync(t);
        var s1 = (await Tables.AppendAsync(Duck, t, Values("('A', DATE '2026-10-01', 1.00, 1)", "('B', DATE '2026-10-01', 2.00, 1)"), By("load"))).Snapshot;
        var s2 = (await Tables.MergeAsync(Duck, t, Values("('B', DATE '2026-10-01', 3.00, 2)", "('C', DATE '2026-10-01', 4.00, 1)"), By("merge"))).Snapshot;
        var s3 = (await Tables.DeleteAsync(Duck, t, "account_no = 'A'", By("delete"))).Snapshot;
        var s4 = await Tables.RenameColumnAsync(t, "usage", "usage_m3", By("rename"));
        var s5 = await Tables.AddColumnAsync(t, "note", "VARCHAR", By("add"));
        var s6 = (await Tables.OverwriteAsync(Duck, t, "SELECT 'Z' AS account_no, DATE '2026-11-01' AS day, 9.99 AS usage_m3, 9 AS meter, 'new' AS note", By("overwrite"))).Snapshot;

        Assert.Equal(["A|2026-10-01|1.00|1", "B|2026-10-01|2.00|1"], await RowsAsync(t, LakeVersion.Snapshot(s1.Id)));
        Assert.Equal(["A|2026-10-01|1.00|1", "B|2026-10-01|3.00|2", "C|2026-10-01|4.00|1"], await RowsAsync(t, LakeVersion.Snapshot(s2.Id)));
        Assert.Equal(["B|2026-10-01|3.00|2", "C|2026-10-01|4.00|1"], await RowsAsync(t, LakeVersion.Snapshot(s3.Id)));
        Assert.Equal(["B|2026-10-01|3.00|2|∅", "C|2026-10-01|4.00|1|∅"], await RowsAsync(t, LakeVersion.Snapshot(s5.Id)));
        Assert.Equal(["Z|2026-11-01|9.99|9|new"], await RowsAsync(t));
        Assert.Equal(["Z|2026-11-01|9.99|9|new"], await RowsAsync(t, LakeVersion.Snapshot(s6.Id)));

        // By time: the state as of the merge's commit time.
        Assert.Equal(await RowsAsync(t, LakeVersion.Snapshot(s2.Id)), await RowsAsync(t, LakeVersion.At(s2.CommittedAt)));
        // A time in another offset (Beijing time, as users type it) means the same instant.
        var beijing = s2.CommittedAt.ToOffset(TimeSpan.FromHours(8));
        Assert.Equal(await RowsAsync(t, LakeVersion.Snapshot(s2.Id)), await RowsAsync(t, LakeVersion.Parse(beijing.ToString("O", System.Globalization.CultureInfo.InvariantCulture))));
        // Older snapshots keep their own schema.
        Assert.Equal(["account_no", "day", "usage", "meter"], (await Tables.GetTableAsync(t, LakeVersion.Snapshot(s3.Id))).Columns.Select(c => c.Name));
        Assert.Equal(["account_no", "day", "usage_m3", "meter"], (await Tables.GetTableAsync(t, LakeVersion.Snapshot(s4.Id))).Columns.Select(c => c.Name));
        Assert.Equal(1, s3.RowsRemoved);
        Assert.Equal(2, s2.RowsAdded);
        Assert.Equal(1, s2.RowsRemoved);
    }

    [Fact]
    public async Task An_unknown_snapshot_or_a_time_before_the_table_is_named_in_the_error()
    {
        await CreateReadingsAsync("water.unknown");
        var error = await Assert.ThrowsAsync<KeyNotFoundException>(() => Tables.ScanAsync("water.unknown", LakeVersion.Snapshot(999_999)));
        Assert.Contains("999999", error.Message, StringComparison.Ordinal);
        error = await Assert.ThrowsAsync<KeyNotFoundException>(() => Tables.ScanAsync("water.unknown", LakeVersion.At(DateTimeOffset.UnixEpoch)));
        Assert.Contains("did not exist yet", error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<KeyNotFoundException>(() => Tables.ScanAsync("water.nope"));
    }

    [Fact]
    public async Task The_change_feed_gives_rows_added_and_removed_between_snapshots()
    {
        const string t = "water.feed";
        await CreateReadingsAsync(t);
        var s1 = (await Tables.AppendAsync(Duck, t, Values("('A', DATE '2026-10-01', 1.00, 1)", "('B', DATE '2026-10-01', 2.00, 1)", "('C', DATE '2026-10-01', 3.00, 1)"), By("load"))).Snapshot;
        await Tables.MergeAsync(Duck, t, Values("('B', DATE '2026-10-01', 20.00, 1)", "('D', DATE '2026-10-01', 4.00, 1)"), By("merge"));
        var s3 = (await Tables.DeleteAsync(Duck, t, "account_no = 'C'", By("delete"))).Snapshot;

        var sql = await Tables.ChangesSqlAsync(t, s1.Id, s3.Id);
        using var command = new DataHub.DuckDb.DuckDbCommand($"SELECT _change || ':' || account_no || ':' || usage FROM ({sql}) ORDER BY ALL", Duck);
        using var reader = command.ExecuteReader();
        var changes = new List<string>();
        while (reader.Read())
        {
            changes.Add(reader.GetString(0));
        }

        Assert.Equal(["delete:B:2.00", "delete:C:3.00", "insert:B:20.00", "insert:D:4.00"], changes);
    }

    [Fact]
    public async Task Schema_evolution_reads_old_files_through_new_names_and_types_without_rewriting()
    {
        const string t = "water.evolve";
        await Tables.CreateTableAsync(t,
            [new("account_no", "VARCHAR"), new("day", "DATE"), new("usage", "DECIMAL(10,2)"), new("meter", "INTEGER")], ["account_no"], By("create"));
        var load = await Tables.AppendAsync(Duck, t, Values("('A', DATE '2026-10-01', 1.00, 1)"), By("load"));
        await Tables.WidenColumnAsync(t, "meter", "BIGINT", By("widen"));
        await Tables.WidenColumnAsync(t, "usage", "DECIMAL(14,2)", By("widen decimal"));
        await Tables.RenameColumnAsync(t, "meter", "meter_id", By("rename"));
        await Tables.AddColumnAsync(t, "flag", "BOOLEAN", By("add"));
        await Tables.DropColumnAsync(t, "day", By("drop"));
        await Tables.AppendAsync(Duck, t, "SELECT 'B' AS account_no, 2.50 AS usage, 5000000000 AS meter_id, true AS flag", By("new rows"));

        var table = await Tables.GetTableAsync(t);
        Assert.Equal(["account_no:VARCHAR", "usage:DECIMAL(14,2)", "meter_id:BIGINT", "flag:BOOLEAN"], table.Columns.Select(c => $"{c.Name}:{c.Type}"));
        Assert.Equal(["A|1.00|1|∅", "B|2.50|5000000000|true"], await RowsAsync(t));
        // The first file was not rewritten.
        Assert.Contains(await Tables.FilesAsync(t), f => f.Id == Assert.Single(load.FilesAdded).Id);
    }

    [Theory]
    [InlineData("account_no", "INTEGER", "VARCHAR to INTEGER is not a widening")]
    [InlineData("meter", "SMALLINT", "INTEGER to SMALLINT is not a widening")]
    [InlineData("usage", "DECIMAL(12,3)", "same scale")]
    [InlineData("meter", "UBIGINT", "is not a widening")]
    public async Task Incompatible_type_changes_are_refused_with_what_and_why(string column, string type, string reason)
    {
        var t = "water.refuse_" + column + "_" + type.Replace("(", "_", StringComparison.Ordinal).Replace(",", "_", StringComparison.Ordinal).Replace(")", string.Empty, StringComparison.Ordinal).ToLowerInvariant();
        await CreateReadingsAsync(t);
        var error = await Assert.ThrowsAsync<LakeSchemaException>(() => Tables.WidenColumnAsync(t, column, type, By("bad")));
        Assert.Contains($"{t}.{column}", error.Message, StringComparison.Ordinal);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.Single(await Tables.HistoryAsync(t));
    }

    [Fact]
    public async Task Key_columns_cannot_be_dropped_and_renaming_one_keeps_the_key()
    {
        const string t = "water.keys";
        await CreateReadingsAsync(t);
        var error = await Assert.ThrowsAsync<LakeSchemaException>(() => Tables.DropColumnAsync(t, "day", By("drop key")));
        Assert.Contains("key", error.Message, StringComparison.Ordinal);
        await Tables.RenameColumnAsync(t, "day", "reading_date", By("rename key"));
        Assert.Equal(["account_no", "reading_date"], (await Tables.GetTableAsync(t)).KeyColumns);
    }
}
