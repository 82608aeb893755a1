using System.Net;
using System.Text.Json;

namespace DataHub.Host.Tests;

/// <summary>The catalog endpoints over HTTP, against the demo slice (water samples ingested).</summary>
public sealed class CatalogApiTests(DemoSliceFixture slice) : IClassFixture<DemoSliceFixture>
{
    [Fact]
    public async Task The_tree_starts_at_the_l1_groups_and_a_subtree_is_cut_at_its_depth()
    {
        using var all = await GetJsonAsync("/api/v1/catalog/tree?depth=2");
        var roots = all.RootElement.EnumerateArray().ToList();
        Assert.Equal(["L1.base", "L1.utility"], roots.Select(r => r.GetProperty("code").GetString()));
        Assert.Equal("基础数据", roots[0].GetProperty("name").GetString());
        var areas = roots[0].GetProperty("children").EnumerateArray().Select(c => c.GetProperty("name").GetString()).ToList();
        Assert.Equal(["人口", "法人", "空间地理"], areas.Order());
        Assert.All(roots[0].GetProperty("children").EnumerateArray(), c => Assert.Empty(c.GetProperty("children").EnumerateArray()));

        using var entity = await GetJsonAsync("/api/v1/catalog/tree?root=L4.utility.water.account.daily_reading");
        var node = Assert.Single(entity.RootElement.EnumerateArray().ToList());
        var usage = node.GetProperty("children").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "用量");
        Assert.True(usage.GetProperty("hasData").GetBoolean());
        Assert.Equal(2, usage.GetProperty("sensitivity").GetInt32());
        Assert.Equal("volume_m3", usage.GetProperty("elementCode").GetString());
    }

    [Fact]
    public async Task Search_finds_a_two_character_chinese_substring_and_ranks_data_first()
    {
        using var json = await GetJsonAsync("/api/v1/catalog/search?q=" + Uri.EscapeDataString("地址") + "&limit=200");
        var hits = json.RootElement.EnumerateArray().ToList();
        Assert.All(hits, h => Assert.True(
            (h.GetProperty("code").GetString() + h.GetProperty("name").GetString() + h.GetProperty("description").ToString()).Contains("地址", StringComparison.Ordinal)));
        Assert.Contains(hits, h => h.GetProperty("name").GetString() == "户籍地址");
        var exact = hits.Where(h => h.GetProperty("match").GetString() == "exact").ToList();
        Assert.Equal("L5.utility.water.account.daily_reading.address", exact[0].GetProperty("code").GetString());
        Assert.True(exact[0].GetProperty("hasData").GetBoolean());
        Assert.Equal("公用事业 / 供水 / 用水户 / 日用水量读数", exact[0].GetProperty("path").GetString());
    }

    [Theory]
    [InlineData("/api/v1/catalog/search?q=", HttpStatusCode.BadRequest)]
    [InlineData("/api/v1/catalog/search?q=%E5%9C%B0&limit=0", HttpStatusCode.BadRequest)]
    [InlineData("/api/v1/catalog/tree?depth=9", HttpStatusCode.BadRequest)]
    [InlineData("/api/v1/catalog/tree?root=L2.nothing", HttpStatusCode.NotFound)]
    [InlineData("/api/v1/catalog/coverage?limit=-1", HttpStatusCode.BadRequest)]
    [InlineData("/api/v1/datasets/Bad..Name", HttpStatusCode.BadRequest)]
    [InlineData("/api/v1/datasets/water.nothing", HttpStatusCode.NotFound)]
    public async Task Bad_input_gets_problem_details(string url, HttpStatusCode status)
    {
        using var response = await slice.Http.GetAsync(new Uri(url, UriKind.Relative));
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Dataset_detail_carries_metadata_mapping_grades_snapshots_and_coverage()
    {
        using var json = await GetJsonAsync("/api/v1/datasets/water.meter_reading_daily");
        var dataset = json.RootElement;
        Assert.Equal("市水务集团", dataset.GetProperty("providerName").GetString());
        Assert.Equal("conditional", dataset.GetProperty("shareType").GetString());
        Assert.Equal("2026-10-08", dataset.GetProperty("publicationDate").GetString());
        Assert.Equal(476, dataset.GetProperty("rowCount").GetInt64());
        var snapshots = dataset.GetProperty("snapshots").EnumerateArray().ToList();
        Assert.Equal(["append", "create"], snapshots.Select(s => s.GetProperty("operation").GetString()));
        Assert.Equal(476, snapshots[0].GetProperty("rowsAdded").GetInt64());
        Assert.Equal(7, dataset.GetProperty("mappedColumns").GetInt32());
        Assert.Empty(dataset.GetProperty("unmappedColumns").EnumerateArray());
        var column = dataset.GetProperty("columns").EnumerateArray().First();
        Assert.Equal(("account_no", "L5.utility.water.account.daily_reading.account_no", 2, "general"),
            (column.GetProperty("name").GetString(), column.GetProperty("l5NodeCode").GetString(), column.GetProperty("sensitivity").GetInt32(), column.GetProperty("importance").GetString()));
    }

    [Fact]
    public async Task Coverage_shows_unmapped_columns_and_attributes_holding_data()
    {
        using var json = await GetJsonAsync("/api/v1/catalog/coverage?limit=5");
        var report = json.RootElement;
        Assert.Equal(["gas.monthly_usage.remark"], report.GetProperty("unmappedColumns").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal(7, report.GetProperty("attributesWithData").GetInt32());
        Assert.Equal(5, report.GetProperty("attributesWithoutData").GetArrayLength());
        Assert.True(report.GetProperty("attributes").GetInt32() >= 300);
    }

    [Fact]
    public async Task The_openapi_document_describes_the_catalog_endpoints()
    {
        using var json = await GetJsonAsync("/openapi/v1.json");
        var paths = json.RootElement.GetProperty("paths");
        foreach (var (path, operation) in new[]
                 {
                     ("/api/v1/catalog/tree", "GetCatalogTree"), ("/api/v1/catalog/search", "SearchCatalog"),
                     ("/api/v1/catalog/coverage", "GetCatalogCoverage"), ("/api/v1/datasets/{name}", "GetDataset"),
                 })
        {
            var get = paths.GetProperty(path).GetProperty("get");
            Assert.Equal(operation, get.GetProperty("operationId").GetString());
            Assert.False(string.IsNullOrWhiteSpace(get.GetProperty("summary").GetString()));
        }
    }

    private async Task<JsonDocument> GetJsonAsync(string url)
    {
        using var response = await slice.Http.GetAsync(new Uri(url, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync());
    }
}
