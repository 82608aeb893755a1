using Npgsql;

namespace DataHub.Catalog.Tests;

/// <summary>Search over the repository catalog plus a few thousand generated attributes, in one database.</summary>
[Collection(PostgresTestGroup.Name)]
public sealed class CatalogSearchTests(PostgresFixture fixture) : IAsyncLifetime
{
    private const int Generated = 3_000;
    private NpgsqlDataSource dataSource = null!;
    private CatalogStore store = null!;

    public async Task InitializeAsync()
    {
        dataSource = await fixture.ClassDatabaseAsync(GetType());
        await CatalogLoader.ApplyAsync(dataSource, CatalogDefinitions.Load(CatalogDefinitions.FindDirectory()), null, CancellationToken.None);
        await using (var exists = dataSource.CreateCommand("SELECT count(*) FROM datahub.subject_node WHERE code = 'L1.synthetic'"))
        {
            if ((long)(await exists.ExecuteScalarAsync())! == 0)
            {
                await SyntheticArchitecture.GenerateAsync(dataSource, Generated);
            }
        }

        store = new CatalogStore(dataSource);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [InlineData("户籍")]
    [InlineData("地址")]
    [InlineData("号码")]
    [InlineData("证件号码")]
    [InlineData("户")]
    [InlineData("Citizen")]
    [InlineData("uscc")]
    [InlineData("e12")]
    [InlineData("GB")]
    [InlineData("燃气户号")]
    public async Task Search_finds_exactly_what_contains_the_query(string query)
    {
        var hits = await store.SearchAsync(query, CatalogStore.MaxSearchResults);

        // The oracle: a plain case-insensitive substring test over every searchable text.
        var expected = await OracleAsync(query);
        Assert.NotEmpty(expected);
        Assert.All(hits, h => Assert.Contains((h.Kind, h.Code), expected));
        Assert.Equal(Math.Min(expected.Count, CatalogStore.MaxSearchResults), hits.Count);
        Assert.Equal(hits.Count, hits.Select(h => (h.Kind, h.Code)).Distinct().Count());
    }

    [Theory]
    [InlineData("户")]
    [InlineData("号")]
    [InlineData("户籍")]
    [InlineData("名称")]
    [InlineData("地址")]
    [InlineData("s0")]
    [InlineData("号码")]
    [InlineData("证件号码")]
    [InlineData("编号")]
    public async Task The_prefix_shortcut_for_many_candidates_gives_the_same_page_as_ranking_them_all(string query)
    {
        // With many candidates the page is filled rank by rank (prefix indexes, then a walk over the names in
        // ranking order); force that path on and off and expect the same page.
        var shortcut = new CatalogStore(dataSource) { ManyCandidates = 10 };
        var full = new CatalogStore(dataSource) { ManyCandidates = int.MaxValue };

        foreach (var limit in new[] { 1, 5, 20, 60 })
        {
            Assert.Equal(await full.SearchAsync(query, limit), await shortcut.SearchAsync(query, limit));
        }
    }

    [Fact]
    public async Task Two_chinese_characters_find_attributes_datasets_and_elements_that_contain_them()
    {
        var registered = await store.SearchAsync("户籍", 200);
        Assert.Contains(registered, h => h is { Kind: "node", Code: "L3.population.registered", Name: "户籍人口", Level: 3 });
        Assert.Contains(registered, h => h is { Kind: "node", Code: "L5.population.registered.registration.registered_address", Name: "户籍地址" });
        Assert.Contains(registered, h => h is { Kind: "dataset", Code: "population.household_registration" });
        Assert.Contains(registered, h => h.Kind == "node" && h.Code == SyntheticArchitecture.AttributeCode(0) && h.Name == "户籍名称");

        var address = await store.SearchAsync("地址", 200);
        Assert.Contains(address, h => h is { Kind: "element", Code: "address_text" });
        Assert.Contains(address, h => h is { Kind: "node", Code: "L3.spatial.standard_address", Name: "标准地址" });
        var water = Assert.Single(address, h => h.Code == "L5.utility.water.account.daily_reading.address");
        Assert.Equal("公用事业 / 供水 / 用水户 / 日用水量读数", water.Path);
    }

    [Fact]
    public async Task Exact_names_rank_before_prefixes_before_contains()
    {
        var hits = await store.SearchAsync("标准地址", 50);

        Assert.Equal("exact", hits[0].Match);
        Assert.Equal("标准地址", hits[0].Name);
        var ranks = hits.Select(h => Array.IndexOf(["exact", "prefix", "name", "text"], h.Match)).ToList();
        Assert.Equal(ranks.Order(), ranks);
        Assert.Contains(hits, h => h.Match == "prefix" && h.Name == "标准地址编码");
        Assert.Contains(hits, h => h.Match == "name" && h.Name == "居住地标准地址编码");
    }

    [Fact]
    public async Task English_queries_match_codes_case_insensitively()
    {
        var hits = await store.SearchAsync("CITIZEN_ID", 50);
        var element = Assert.Single(hits, h => h.Kind == "element");
        Assert.Equal(("citizen_id", "exact"), (element.Code, element.Match));
        Assert.Contains(hits, h => h is { Code: "L5.population.registered.registration.citizen_id", Match: "exact" });
        Assert.Contains(hits, h => h is { Code: "L5.population.birth.birth_certificate.mother_citizen_id", Match: "text" });
    }

    [Fact]
    public async Task Attributes_that_hold_data_come_first_within_a_rank()
    {
        var scratch = await fixture.CreateMigratedDatabaseAsync("search_data");
        await CatalogLoader.ApplyAsync(scratch, CatalogDefinitions.Load(CatalogDefinitions.FindDirectory()), null, CancellationToken.None);
        var local = new CatalogStore(scratch);
        var before = await local.SearchAsync("户号", 50);
        Assert.All(before, h => Assert.False(h.HasData));

        await local.AddDataFileAsync("water.meter_reading_daily", null, "water/meter_reading_daily/a.parquet", 10, 100);
        var after = await local.SearchAsync("户号", 50);

        var first = after[0];
        Assert.Equal(("L5.utility.water.account.daily_reading.account_no", "exact", true), (first.Code, first.Match, first.HasData));
        Assert.Contains(after, h => h is { Match: "exact", HasData: false });
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public async Task An_empty_query_is_rejected(string query) =>
        await Assert.ThrowsAsync<ArgumentException>(() => store.SearchAsync(query));

    [Fact]
    public async Task Like_wildcards_in_the_query_are_plain_characters()
    {
        Assert.Empty(await store.SearchAsync("%"));
        Assert.Empty(await store.SearchAsync("户_号"));
    }

    private async Task<HashSet<(string Kind, string Code)>> OracleAsync(string query)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT 'node', code FROM datahub.subject_node
            WHERE strpos(lower(code || ' ' || name || ' ' || coalesce(description, '')), lower($1)) > 0
            UNION ALL
            SELECT 'element', code FROM datahub.data_element
            WHERE strpos(lower(code || ' ' || name || ' ' || coalesce(description, '')), lower($1)) > 0
            UNION ALL
            SELECT 'dataset', name FROM datahub.dataset
            WHERE strpos(lower(name || ' ' || title || ' ' || coalesce(resource_code, '') || ' ' || coalesce(abstract, '')), lower($1)) > 0
            """);
        command.Parameters.Add(new NpgsqlParameter<string>{ Value = query });
        await using var reader = await command.ExecuteReaderAsync();
        var set = new HashSet<(string, string)>();
        while (await reader.ReadAsync())
        {
            set.Add((reader.GetString(0), reader.GetString(1)));
        }

        return set;
    }
}
