using DataHub.Catalog.Tests;
using DataHub.Lake.Tables;

namespace DataHub.Lake.Tests;

/// <summary>
/// Rows replaced by leading key as a delta merged on read (<see cref="LakeTables.ReplaceKeysAsync"/>): the data files
/// stay, every scan sees one table, the delta is rewritten with the next one's keys, folded by compaction or when it
/// grows, and writes that would be hidden by it are refused.
/// </summary>
[Collection(PostgresTestGroup.Name)]
public sealed class LakeDeltaTests(PostgresFixture postgres) : LakeTestBase(postgres)
{
    [Fact]
    public async Task Replaced_keys_go_to_one_delta_that_every_read_merges_and_compaction_folds()
    {
        await CreateReadingsAsync("water.delta");
        var first = await Tables.AppendAsync(Duck, "water.delta", Values(
            "('A', DATE '2026-10-01', 1.00, 1)", "('A', DATE '2026-10-02', 2.00, 1)", "('B', DATE '2026-10-01', 3.00, 2)",
            "('C', DATE '2026-10-01', 4.00, 3)", "('E', DATE '2026-10-01', 5.00, 5)"), By("load"));
        var dataFile = Assert.Single(first.FilesAdded);

        // A's two rows become one, C has none any more (a tombstone), D is new; B and E are not touched.
        var one = await Tables.ReplaceKeysAsync(Duck, "water.delta", "SELECT * FROM (VALUES ('A'), ('C')) k(a)",
            Values("('A', DATE '2026-10-03', 9.00, 1)", "('D', DATE '2026-10-01', 6.00, 4)"), By("delta 1"), foldFraction: 10);
        Assert.Equal("delta", one.Snapshot.Operation);
        var expectedOne = new[] { "A|2026-10-03|9.00|1", "B|2026-10-01|3.00|2", "D|2026-10-01|6.00|4", "E|2026-10-01|5.00|5" };
        Assert.Equal(expectedOne, await RowsAsync("water.delta"));
        var files = await Tables.FilesAsync("water.delta");
        Assert.Equal([dataFile.Id], files.Where(f => !f.Delta).Select(f => f.Id)); // the data file is not rewritten
        var delta = Assert.Single(files, f => f.Delta);
        Assert.Equal((2L, 3L), (delta.RowCount, delta.SupersededRows)); // two live rows; A's two and C's one hidden
        Assert.Equal(4, (await Tables.ScanAsync("water.delta")).RowCount);
        Assert.Equal(5, (await RowsAsync("water.delta", LakeVersion.Snapshot(first.Snapshot.Id))).Count); // time travel

        // The next delta replaces the previous one with its own keys added; C stays deleted, A keeps its new row.
        var two = await Tables.ReplaceKeysAsync(Duck, "water.delta", "SELECT 'B' WHERE false",
            Values("('B', DATE '2026-10-05', 7.00, 2)"), By("delta 2"), foldFraction: 10);
        var expectedTwo = new[] { "A|2026-10-03|9.00|1", "B|2026-10-05|7.00|2", "D|2026-10-01|6.00|4", "E|2026-10-01|5.00|5" };
        Assert.Equal(expectedTwo, await RowsAsync("water.delta"));
        files = await Tables.FilesAsync("water.delta");
        Assert.Equal(2, files.Count);
        Assert.Equal((3L, 4L), (Assert.Single(files, f => f.Delta).RowCount, Assert.Single(files, f => f.Delta).SupersededRows));
        Assert.Equal(4, (await Tables.ScanAsync("water.delta")).RowCount);
        Assert.Equal(expectedOne, await RowsAsync("water.delta", LakeVersion.Snapshot(one.Snapshot.Id)));

        // The change feed across deltas is that of the merged states.
        using (var command = new DataHub.DuckDb.DuckDbCommand(
            $"SELECT _change || ':' || account_no || '|' || CAST(day AS VARCHAR) FROM ({await Tables.ChangesSqlAsync("water.delta", first.Snapshot.Id, two.Snapshot.Id)}) ORDER BY ALL", Duck))
        using (var reader = command.ExecuteReader())
        {
            var changes = new List<string>();
            while (reader.Read())
            {
                changes.Add(reader.GetString(0));
            }

            Assert.Equal(["delete:A|2026-10-01", "delete:A|2026-10-02", "delete:B|2026-10-01", "delete:C|2026-10-01", "insert:A|2026-10-03", "insert:B|2026-10-05", "insert:D|2026-10-01"], changes);
        }

        // Rows appended or merged beside the delta would be hidden by it: refused until it is folded.
        await Assert.ThrowsAsync<LakeSchemaException>(() => Tables.AppendAsync(Duck, "water.delta", Values("('A', DATE '2026-10-09', 1.00, 1)"), By("append")));
        await Assert.ThrowsAsync<LakeSchemaException>(() => Tables.MergeAsync(Duck, "water.delta", Values("('A', DATE '2026-10-09', 1.00, 1)"), By("merge")));
        Assert.Equal(expectedTwo, await RowsAsync("water.delta"));

        var folded = await Tables.CompactAsync("water.delta", By("fold"));
        Assert.NotNull(folded);
        var after = await Tables.FilesAsync("water.delta");
        Assert.False(Assert.Single(after).Delta);
        Assert.Equal(expectedTwo, await RowsAsync("water.delta"));
        Assert.Equal(4, (await Tables.ScanAsync("water.delta")).RowCount);
        await Tables.AppendAsync(Duck, "water.delta", Values("('F', DATE '2026-10-01', 1.00, 6)"), By("append after fold"));
        Assert.Equal(5, (await RowsAsync("water.delta")).Count);
    }

    [Fact]
    public async Task A_delta_larger_than_its_share_of_the_table_is_folded_into_the_data_files()
    {
        await CreateReadingsAsync("water.fold");
        await Tables.AppendAsync(Duck, "water.fold", Values("('A', DATE '2026-10-01', 1.00, 1)", "('B', DATE '2026-10-01', 2.00, 2)"), By("load"));

        // One replaced key of two rows is half the table: above the default tenth, so the table is rewritten.
        var result = await Tables.ReplaceKeysAsync(Duck, "water.fold", "SELECT 'B'", "SELECT * FROM (VALUES ('A', DATE '2026-10-01', 1.00, 1)) v(account_no, day, usage, meter) WHERE false", By("fold"));
        Assert.Equal("overwrite", result.Snapshot.Operation);
        Assert.False(Assert.Single(await Tables.FilesAsync("water.fold")).Delta);
        Assert.Equal(["A|2026-10-01|1.00|1"], await RowsAsync("water.fold"));
        Assert.Equal(1, (await Tables.ScanAsync("water.fold")).RowCount);
    }
}
