using Npgsql;

namespace DataHub.Catalog.Tests;

/// <summary>The L1–L5 tree and the coverage report over the repository catalog.</summary>
[Collection(PostgresTestGroup.Name)]
public sealed class CatalogBrowseTests(PostgresFixture fixture) : IAsyncLifetime
{
    private NpgsqlDataSource dataSource = null!;
    private CatalogStore store = null!;

    public async Task InitializeAsync()
    {
        dataSource = await fixture.CreateMigratedDatabaseAsync("browse");
        await CatalogLoader.ApplyAsync(dataSource, CatalogDefinitions.Load(CatalogDefinitions.FindDirectory()), null, CancellationToken.None);
        store = new CatalogStore(dataSource);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task The_whole_tree_starts_at_the_l1_groups_and_reaches_graded_attributes()
    {
        var tree = (await store.GetTreeAsync())!;

        Assert.Equal(["L1.base", "L1.utility"], tree.Select(n => n.Code));
        var utility = tree[1];
        Assert.Equal("公用事业", utility.Name);
        Assert.Equal(new[] { "供水", "燃气", "供热", "公共交通" }.Order(), utility.Children.Select(c => c.Name).Order());
        Assert.Equal(utility.ChildCount, utility.Children.Count);
        var population = tree[0].Children.Single(c => c.Code == "L2.population");
        var citizenId = population.Children.Single(c => c.Name == "户籍人口").Children.Single(c => c.Name == "户籍登记")
            .Children.Single(c => c.Name == "公民身份号码");
        Assert.Equal((5, "citizen_id", 4, "important", 0), (citizenId.Level, citizenId.ElementCode, citizenId.Sensitivity, citizenId.Importance, citizenId.ChildCount));
    }

    [Fact]
    public async Task A_subtree_is_cut_at_the_requested_depth_and_keeps_child_counts()
    {
        var entity = Assert.Single((await store.GetTreeAsync("L4.utility.water.account.daily_reading", 1))!);
        Assert.Empty(entity.Children);
        Assert.Equal(7, entity.ChildCount);

        var area = Assert.Single((await store.GetTreeAsync("L2.utility.gas", 2))!);
        Assert.All(area.Children, c => Assert.Equal(3, c.Level));
        Assert.All(area.Children, c => Assert.Empty(c.Children));
        Assert.All(area.Children, c => Assert.True(c.ChildCount > 0));

        Assert.Null(await store.GetTreeAsync("L2.nothing"));
    }

    [Fact]
    public async Task Coverage_lists_unmapped_columns_and_counts_attributes_with_data()
    {
        var empty = await store.GetCoverageAsync(attributeLimit: 5);
        var definitions = CatalogDefinitions.Load(CatalogDefinitions.FindDirectory());
        Assert.Equal(definitions.Datasets.Sum(d => d.Columns.Count), empty.Columns);
        Assert.Equal(["gas.monthly_usage.remark"], empty.UnmappedColumns);
        Assert.Equal(empty.Columns - 1, empty.MappedColumns);
        Assert.Equal(definitions.Nodes.Count(n => n.Level == 5), empty.Attributes);
        Assert.Equal(0, empty.AttributesWithData);
        Assert.Equal(5, empty.AttributesWithoutData.Count);

        await store.AddDataFileAsync("water.meter_reading_daily", null, "water/meter_reading_daily/c.parquet", 476, 9_000);
        var filled = await store.GetCoverageAsync(attributeLimit: 10_000);

        Assert.Equal(7, filled.AttributesWithData);
        Assert.Equal(filled.Attributes - 7, filled.AttributesWithoutData.Count);
        Assert.DoesNotContain(filled.AttributesWithoutData, a => a.Code.StartsWith("L5.utility.water.account.daily_reading.", StringComparison.Ordinal));
        var mappedWithoutData = Assert.Single(filled.AttributesWithoutData, a => a.Code == "L5.utility.gas.account.monthly_usage.usage_m3");
        Assert.Equal(1, mappedWithoutData.MappedColumns);

        var detail = (await store.GetDatasetAsync("gas.monthly_usage"))!;
        Assert.Equal(8, detail.MappedColumns);
        Assert.Equal(["remark"], detail.UnmappedColumns);
        // A registered ingest file counts as "holds data" for coverage, but rows and snapshots come from the lake
        // table, which this catalog-only test has not created.
        var water = (await store.GetDatasetAsync("water.meter_reading_daily"))!;
        Assert.Empty(water.Snapshots);
        Assert.Equal(0, water.RowCount);
    }
}
