using DataHub.Catalog.Tests;
using DataHub.Lake.Tables;

namespace DataHub.Lake.Tests;

[Collection(PostgresTestGroup.Name)]
public sealed class LakeMaintenanceTests(PostgresFixture postgres) : LakeTestBase(postgres)
{
    [Fact]
    public async Task Compaction_merges_small_files_and_every_snapshot_stays_readable()
    {
        const string t = "water.compact";
        await CreateReadingsAsync(t);
        var snapshots = new List<(long Id, List<string> Rows)>();
        for (var i = 0; i < 5; i++)
        {
            var s = (await Tables.AppendAsync(Duck, t, Values($"('A{i}', DATE '2026-10-0{i + 1}', {i}.00, {i})"), By($"load {i}"))).Snapshot;
            snapshots.Add((s.Id, await RowsAsync(t)));
        }

        Assert.Equal(5, (await Tables.FilesAsync(t)).Count);
        var result = await Tables.CompactAsync(t, By("compact"));
        Assert.NotNull(result);
        Assert.Equal(5, result.FilesRemoved);
        Assert.Single(await Tables.FilesAsync(t));
        Assert.Equal(snapshots[^1].Rows, await RowsAsync(t));
        foreach (var (id, rows) in snapshots)
        {
            Assert.Equal(rows, await RowsAsync(t, LakeVersion.Snapshot(id)));
        }

        Assert.Null(await Tables.CompactAsync(t, By("nothing to do")));
    }

    [Fact]
    public async Task Expiry_then_sweep_removes_exactly_the_files_no_snapshot_reads()
    {
        const string t = "water.expire";
        await CreateReadingsAsync(t);
        var first = await Tables.AppendAsync(Duck, t, Values("('A', DATE '2026-10-01', 1.00, 1)"), By("one"));
        var second = await Tables.AppendAsync(Duck, t, Values("('B', DATE '2026-10-01', 2.00, 1)"), By("two"));
        var compacted = await Tables.CompactAsync(t, By("compact"));
        Assert.NotNull(compacted);
        var liveFile = Assert.Single(compacted.FilesAdded).Path;
        var oldFiles = new[] { first.FilesAdded[0].Path, second.FilesAdded[0].Path };
        var orphan = Path.Combine(Tables.Storage.Root, "water", "expire", "orphan.parquet");
        File.Copy(Tables.Storage.Resolve(oldFiles[0]), orphan);

        // Nothing is old enough yet: expiring at the table's creation changes nothing.
        var none = await Tables.ExpireAsync(DateTimeOffset.UtcNow.AddDays(-1));
        Assert.Equal(0, none.SnapshotsExpired);
        Assert.Empty(none.FilesDeleted);

        var expired = await Tables.ExpireAsync(DateTimeOffset.UtcNow.AddSeconds(1));
        Assert.Equal(3, expired.SnapshotsExpired);
        Assert.Equal(oldFiles.Order(StringComparer.Ordinal), expired.FilesDeleted.Order(StringComparer.Ordinal));
        Assert.All(oldFiles, f => Assert.False(File.Exists(Tables.Storage.Resolve(f))));
        Assert.True(File.Exists(Tables.Storage.Resolve(liveFile)));
        Assert.Equal(["A|2026-10-01|1.00|1", "B|2026-10-01|2.00|1"], await RowsAsync(t));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => Tables.ScanAsync(t, LakeVersion.Snapshot(first.Snapshot.Id)));

        var swept = await Tables.SweepAsync(TimeSpan.Zero);
        Assert.Equal(["water/expire/orphan.parquet"], swept.FilesDeleted);
        Assert.True(File.Exists(Tables.Storage.Resolve(liveFile)));
    }
}
