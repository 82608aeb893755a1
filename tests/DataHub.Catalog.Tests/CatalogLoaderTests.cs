using Npgsql;

namespace DataHub.Catalog.Tests;

[Collection(PostgresTestGroup.Name)]
public sealed class CatalogLoaderTests(PostgresFixture fixture)
{
    [Fact]
    public async Task Loading_twice_changes_nothing_the_second_time()
    {
        var dataSource = await fixture.CreateMigratedDatabaseAsync("load_twice");
        var catalog = CatalogDefinitions.Load(CatalogDefinitions.FindDirectory());

        var first = await CatalogLoader.ApplyAsync(dataSource, catalog, null, CancellationToken.None);
        var snapshot = await SnapshotAsync(dataSource);
        var second = await CatalogLoader.ApplyAsync(dataSource, catalog, null, CancellationToken.None);

        Assert.Equal(catalog.Departments.Count, first.Departments);
        Assert.Equal(catalog.Nodes.Count, first.Nodes);
        Assert.Equal(catalog.Datasets.Count, first.Datasets);
        Assert.Equal(catalog.Datasets.Sum(d => d.Columns.Count), first.Columns);
        Assert.Equal(0, second.Total);
        Assert.Equal(snapshot, await SnapshotAsync(dataSource));
    }

    [Fact]
    public async Task Loaded_rows_link_provider_architecture_and_columns()
    {
        var dataSource = await fixture.ClassDatabaseAsync(GetType());
        await CatalogLoader.ApplyAsync(dataSource, CatalogDefinitions.Load(CatalogDefinitions.FindDirectory()), null, CancellationToken.None);

        // Walk from the dataset's L4 node up to L1, and from each column to its L5 node.
        await using var path = dataSource.CreateCommand("""
            WITH RECURSIVE up AS (
                SELECT n.id, n.level, n.name, n.parent_id FROM datahub.dataset d JOIN datahub.subject_node n ON n.id = d.l4_node_id
                WHERE d.name = 'water.meter_reading_daily'
                UNION ALL
                SELECT p.id, p.level, p.name, p.parent_id FROM datahub.subject_node p JOIN up ON p.id = up.parent_id)
            SELECT string_agg(name, '/' ORDER BY level) FROM up
            """);
        Assert.Equal("公用事业/供水/用水户/日用水量读数", await path.ExecuteScalarAsync());

        await using var columns = dataSource.CreateCommand("""
            SELECT string_agg(c.name || '=' || n.name || '<' || c.source, ',' ORDER BY c.ordinal)
            FROM datahub.dataset_column c JOIN datahub.dataset d ON d.id = c.dataset_id
            JOIN datahub.subject_node n ON n.id = c.l5_node_id AND n.level = 5 AND n.parent_id = d.l4_node_id
            WHERE d.name = 'water.meter_reading_daily' AND d.provider_code = 'water'
            """);
        Assert.Equal(
            "account_no=户号<户号,meter_no=表号<表号,reading_date=抄表日期<抄表日期,reading_m3=读数<读数,usage_m3=用量<用量,address=地址<地址,district_code=所属区县<所属区县",
            await columns.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Edited_definitions_update_only_what_changed()
    {
        var dataSource = await fixture.CreateMigratedDatabaseAsync("load_edit");
        var directory = TestDirectories.CopyCatalog("edit");
        try
        {
            await CatalogLoader.ApplyAsync(dataSource, CatalogDefinitions.Load(directory), null, CancellationToken.None);

            // New title; columns reordered (address and district_code swap) and the last one dropped.
            var file = Path.Combine(directory, "datasets", "water.meter_reading_daily.yaml");
            var text = File.ReadAllText(file).Replace("title: 居民用水户日抄表读数", "title: 用水户日抄表读数", StringComparison.Ordinal);
            var address = text.IndexOf("  - name: address", StringComparison.Ordinal);
            var district = text.IndexOf("  - name: district_code", StringComparison.Ordinal);
            text = string.Concat(text.AsSpan(0, address), text.AsSpan(district), text.AsSpan(address, district - address))
                .TrimEnd() + "\n";
            text = text[..text.IndexOf("  - name: address", StringComparison.Ordinal)];
            File.WriteAllText(file, text);

            var edited = CatalogDefinitions.Load(directory);
            var result = await CatalogLoader.ApplyAsync(dataSource, edited, null, CancellationToken.None);

            // Column 6 now holds district_code (one update), column 7 is gone (one delete).
            Assert.Equal((0, 0, 1, 2), (result.Departments, result.Nodes, result.Datasets, result.Columns));
            Assert.Equal(
                [new CatalogChange("dataset", "water.meter_reading_daily", CatalogChangeAction.Changed),
                 new CatalogChange("column", "water.meter_reading_daily.district_code", CatalogChangeAction.Changed),
                 new CatalogChange("column", "water.meter_reading_daily.district_code", CatalogChangeAction.Removed)],
                result.Changes);
            var store = new CatalogStore(dataSource);
            var dataset = (await store.GetDatasetAsync("water.meter_reading_daily"))!;
            Assert.Equal("用水户日抄表读数", dataset.Title);
            Assert.Equal(
                ["account_no", "meter_no", "reading_date", "reading_m3", "usage_m3", "district_code"],
                dataset.Columns.Select(c => c.Name));
            Assert.Equal(0, (await CatalogLoader.ApplyAsync(dataSource, edited, null, CancellationToken.None)).Total);
        }
        finally
        {
            TestDirectories.Delete(Path.GetDirectoryName(directory)!);
        }
    }

    [Fact]
    public async Task A_dry_run_reports_what_an_apply_would_change_and_writes_nothing()
    {
        var dataSource = await fixture.CreateMigratedDatabaseAsync("dry_run");
        var catalog = CatalogDefinitions.Load(CatalogDefinitions.FindDirectory());
        var empty = await SnapshotAsync(dataSource);

        var dry = await CatalogLoader.ApplyAsync(dataSource, catalog, dryRun: true, null, CancellationToken.None);

        Assert.True(dry.DryRun);
        Assert.Equal(empty, await SnapshotAsync(dataSource));
        Assert.All(dry.Changes, c => Assert.Equal(CatalogChangeAction.Added, c.Action));
        Assert.Equal(catalog.Elements.Count, dry.Elements);
        Assert.Equal(catalog.CodeSets.Sum(c => c.Values.Count), dry.CodeValues);
        Assert.Contains(new CatalogChange("node", "L5.population.registered.registration.citizen_id", CatalogChangeAction.Added), dry.Changes);

        var applied = await CatalogLoader.ApplyAsync(dataSource, catalog, null, CancellationToken.None);
        Assert.Equal(dry.Changes.OrderBy(c => c.ToString(), StringComparer.Ordinal), applied.Changes.OrderBy(c => c.ToString(), StringComparer.Ordinal));
        Assert.False(applied.DryRun);
        Assert.Empty((await CatalogLoader.ApplyAsync(dataSource, catalog, dryRun: true, null, CancellationToken.None)).Changes);
    }

    [Fact]
    public async Task Removed_code_values_are_deleted_and_reported()
    {
        var dataSource = await fixture.CreateMigratedDatabaseAsync("code_values");
        var directory = TestDirectories.CopyCatalog("code_values");
        try
        {
            await CatalogLoader.ApplyAsync(dataSource, CatalogDefinitions.Load(directory), null, CancellationToken.None);
            var file = Path.Combine(directory, "codesets", "sex.yaml");
            File.WriteAllText(file, File.ReadAllText(file)
                .Replace("  - {code: \"9\", name: 未说明的性别}\n", string.Empty, StringComparison.Ordinal)
                .Replace("name: 男性}", "name: 男}", StringComparison.Ordinal));

            var result = await CatalogLoader.ApplyAsync(dataSource, CatalogDefinitions.Load(directory), null, CancellationToken.None);

            Assert.Equal(
                [new CatalogChange("code_value", "sex:1", CatalogChangeAction.Changed), new CatalogChange("code_value", "sex:9", CatalogChangeAction.Removed)],
                result.Changes);
        }
        finally
        {
            TestDirectories.Delete(Path.GetDirectoryName(directory)!);
        }
    }

    private static async Task<List<string>> SnapshotAsync(NpgsqlDataSource dataSource)
    {
        // Every row with its system columns: xmin changes when a row is rewritten, even to equal values.
        await using var command = dataSource.CreateCommand("""
            SELECT 'department ' || xmin || ' ' || d::text FROM datahub.department d
            UNION ALL SELECT 'node ' || xmin || ' ' || n::text FROM datahub.subject_node n
            UNION ALL SELECT 'dataset ' || xmin || ' ' || s::text FROM datahub.dataset s
            UNION ALL SELECT 'column ' || xmin || ' ' || c::text FROM datahub.dataset_column c
            UNION ALL SELECT 'element ' || xmin || ' ' || e::text FROM datahub.data_element e
            UNION ALL SELECT 'code ' || xmin || ' ' || v::text FROM datahub.code_value v
            UNION ALL SELECT 'grade ' || xmin || ' ' || g::text FROM datahub.grade g
            ORDER BY 1
            """);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.GetString(0));
        }

        return rows;
    }
}
