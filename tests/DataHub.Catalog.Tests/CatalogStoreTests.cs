using Npgsql;

namespace DataHub.Catalog.Tests;

[Collection(PostgresTestGroup.Name)]
public sealed class CatalogStoreTests(PostgresFixture fixture) : IAsyncLifetime
{
    private const string Dataset = "water.meter_reading_daily";
    private NpgsqlDataSource dataSource = null!;
    private CatalogStore store = null!;

    public async Task InitializeAsync()
    {
        dataSource = await fixture.ClassDatabaseAsync(GetType());
        await CatalogLoader.ApplyAsync(dataSource, CatalogDefinitions.Load(CatalogDefinitions.FindDirectory()), null, CancellationToken.None);
        store = new CatalogStore(dataSource);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Dataset_detail_carries_metadata_columns_and_architecture_names()
    {
        var dataset = await store.GetDatasetAsync(Dataset);

        Assert.NotNull(dataset);
        Assert.Equal("居民用水户日抄表读数", dataset.Title);
        Assert.Equal("340100-WATER-000001", dataset.ResourceCode);
        Assert.Equal(("water", "市水务集团"), (dataset.ProviderCode, dataset.ProviderName));
        Assert.Equal(("conditional", 2, "general", "daily"), (dataset.ShareType, dataset.Sensitivity, dataset.Importance, dataset.UpdateCycle));
        Assert.Equal("日用水量读数", dataset.L4NodeName);
        Assert.Equal(7, dataset.Columns.Count);
        Assert.Equal(
            new DatasetColumn(1, "account_no", "VARCHAR", "户号", "L5.utility.water.account.daily_reading.account_no", "户号", null, 2, "general", "account_no"),
            dataset.Columns[0]);
        Assert.Equal(new DateOnly(2026, 10, 8), dataset.PublicationDate);
        Assert.Equal(("usage_m3", "DECIMAL(12,2)", "用量", "当日用量（立方米）"), (dataset.Columns[4].Name, dataset.Columns[4].DataType, dataset.Columns[4].Source, dataset.Columns[4].Description));
        Assert.Null(await store.GetDatasetAsync("water.nothing"));
    }

    [Fact]
    public async Task Ingest_files_are_recorded_and_checked_but_rows_come_from_the_lake()
    {
        var before = (await store.ListDatasetsAsync()).Single(d => d.Name == Dataset);
        var runId = await store.RegisterIngestRunAsync(Dataset);
        var suffix = Guid.NewGuid().ToString("N");

        var first = await store.AddDataFileAsync(Dataset, runId, $"water\\meter_reading_daily\\{suffix}-1.parquet", 1200, 40_000);
        var second = await store.AddDataFileAsync(Dataset, null, $"water/meter_reading_daily/{suffix}-2.parquet", 34, 2_000);

        Assert.Equal($"water/meter_reading_daily/{suffix}-1.parquet", first.Path);
        Assert.Equal((runId, 1200L, 40_000L), (first.RunId, first.RowCount, first.SizeBytes));
        Assert.Null(second.RunId);
        Assert.True(first.CreatedAt > DateTimeOffset.UtcNow.AddMinutes(-5));

        // The files an ingest run wrote are its record; what the dataset holds is its lake table's current snapshot.
        var after = (await store.ListDatasetsAsync()).Single(d => d.Name == Dataset);
        Assert.Equal((before.RowCount, before.FileCount), (after.RowCount, after.FileCount));
        Assert.Equal(("市水务集团", "conditional", 2), (after.ProviderName, after.ShareType, after.Sensitivity));

        var detail = (await store.GetDatasetAsync(Dataset))!;
        Assert.DoesNotContain(first, detail.Files);
        Assert.Equal(after.RowCount, detail.RowCount);

        var duplicate = await Assert.ThrowsAsync<PostgresException>(
            () => store.AddDataFileAsync(Dataset, null, first.Path, 1, 1));
        Assert.Equal(PostgresErrorCodes.UniqueViolation, duplicate.SqlState);
        await Assert.ThrowsAsync<ArgumentException>(() => store.AddDataFileAsync(Dataset, null, "/lake/x.parquet", 1, 1));
        await Assert.ThrowsAsync<ArgumentException>(() => store.AddDataFileAsync(Dataset, null, "water/../../etc/x.parquet", 1, 1));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => store.AddDataFileAsync("water.nothing", null, $"{suffix}.parquet", 1, 1));
    }

    [Fact]
    public async Task An_ingest_run_records_rejections_and_its_outcome()
    {
        var runId = await store.RegisterIngestRunAsync(Dataset);
        var running = (await store.GetIngestRunAsync(runId))!;
        Assert.Equal((Dataset, IngestRunStatus.Running), (running.DatasetName, running.Status));
        Assert.Null(running.FinishedAt);
        Assert.Null(running.RowsRead);

        IngestRejection[] rejections =
        [
            new("水表_20240501.csv", 3, "抄表日期", "'2024-13-01' 不是有效日期"),
            new("水表_20240501.csv", 7, null, "列数为 5，应为 7"),
            new("水表_20240501.csv", null, "户号", "空值; \"quoted\", 'single', \\ backslash"),
        ];
        Assert.Equal(3, await store.AddRejectionsAsync(runId, rejections));

        await store.CompleteIngestRunAsync(runId, new IngestRunCompletion(IngestRunStatus.Succeeded, 10, 8, 2));

        var done = (await store.GetIngestRunAsync(runId))!;
        Assert.Equal(IngestRunStatus.Succeeded, done.Status);
        Assert.Equal((10L, 8L, 2L), (done.RowsRead!.Value, done.RowsCommitted!.Value, done.RowsQuarantined!.Value));
        Assert.NotNull(done.FinishedAt);
        Assert.True(done.FinishedAt >= done.StartedAt);
        Assert.Null(done.Message);
        Assert.Equal(3, done.RejectionCount);
        Assert.Equal([rejections[2], rejections[0], rejections[1]], await store.GetRejectionsAsync(runId));

        await Assert.ThrowsAsync<InvalidOperationException>(
            () => store.CompleteIngestRunAsync(runId, new IngestRunCompletion(IngestRunStatus.Failed, 0, 0, 0, "again")));
    }

    [Fact]
    public async Task A_run_must_account_for_every_row_read()
    {
        var runId = await store.RegisterIngestRunAsync(Dataset);

        await Assert.ThrowsAsync<ArgumentException>(
            () => store.CompleteIngestRunAsync(runId, new IngestRunCompletion(IngestRunStatus.Succeeded, 10, 8, 1)));
        await Assert.ThrowsAsync<ArgumentException>(
            () => store.CompleteIngestRunAsync(runId, new IngestRunCompletion(IngestRunStatus.Running, 0, 0, 0)));
        Assert.Equal(IngestRunStatus.Running, (await store.GetIngestRunAsync(runId))!.Status);

        await store.CompleteIngestRunAsync(runId, new IngestRunCompletion(IngestRunStatus.Failed, 10, 0, 0, "文件编码无法识别"));
        var failed = (await store.GetIngestRunAsync(runId))!;
        Assert.Equal((IngestRunStatus.Failed, "文件编码无法识别"), (failed.Status, failed.Message));

        await Assert.ThrowsAsync<KeyNotFoundException>(() => store.RegisterIngestRunAsync("water.nothing"));
        Assert.Null(await store.GetIngestRunAsync(long.MaxValue));
    }

    [Fact]
    public async Task Many_rejections_are_copied_in_one_batch()
    {
        var runId = await store.RegisterIngestRunAsync(Dataset);

        var count = await store.AddRejectionsAsync(
            runId, Enumerable.Range(1, 20_000).Select(i => new IngestRejection("big.csv", i, "用量", $"负数用量 -{i}")));

        Assert.Equal(20_000, count);
        Assert.Equal(20_000, (await store.GetIngestRunAsync(runId))!.RejectionCount);
        var firstTwo = await store.GetRejectionsAsync(runId, limit: 2);
        Assert.Equal([new IngestRejection("big.csv", 1, "用量", "负数用量 -1"), new IngestRejection("big.csv", 2, "用量", "负数用量 -2")], firstTwo);
    }
}
