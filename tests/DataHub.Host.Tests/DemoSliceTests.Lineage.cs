using System.Net;
using System.Text.Json;
using DataHub.Catalog.Lineage;
using DataHub.Catalog.Tests.Lineage.Schema;

namespace DataHub.Host.Tests;

/// <summary>Lineage of the demo slice: the ingest's events and the graph served over HTTP.</summary>
public sealed partial class DemoSliceTests
{
    private const string FirstFile = "file:samples/water/meter_readings_2026-10-01.csv";
    private const string GbkFile = "file:samples/water/meter_readings_2026-10-02_gbk.csv";

    private async Task<JsonElement> GetJsonAsync(string url)
    {
        using var response = await slice.Http.GetAsync(new Uri(url, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    private static List<(string InDataset, string InField, string OutField, string Type, string Subtype, bool Masked, string? Description)> Edges(JsonElement graph) =>
        graph.GetProperty("edges").EnumerateArray().Select(e => (
            e.GetProperty("input").GetProperty("dataset").GetString()!,
            e.GetProperty("input").GetProperty("field").GetString()!,
            e.GetProperty("output").GetProperty("field").GetString()!,
            e.GetProperty("type").GetString()!,
            e.GetProperty("subtype").GetString()!,
            e.GetProperty("masked").GetBoolean(),
            e.GetProperty("description").GetString())).ToList();

    [Fact]
    public async Task The_upstream_lineage_of_the_water_table_shows_the_csv_header_columns()
    {
        var graph = await GetJsonAsync($"/api/v1/lineage/{Dataset}?direction=up&depth=5");

        Assert.Equal(Dataset, graph.GetProperty("dataset").GetString());
        Assert.Equal("up", graph.GetProperty("direction").GetString());
        var nodes = graph.GetProperty("nodes").EnumerateArray()
            .Select(n => (n.GetProperty("dataset").GetString(), n.GetProperty("field").GetString(), n.GetProperty("distance").GetInt32())).ToList();
        string[] headers = ["户号", "表号", "抄表日期", "读数", "用量", "地址", "所属区县"];
        foreach (var file in new[] { FirstFile, GbkFile })
        {
            Assert.All(headers, h => Assert.Contains((file, h, 1), nodes));
        }

        var edges = Edges(graph);
        Assert.Contains((FirstFile, "户号", "account_no", "DIRECT", "IDENTITY", false, (string?)null), edges);
        Assert.Contains((GbkFile, "户号", "account_no", "DIRECT", "IDENTITY", false, (string?)null), edges);
        Assert.Contains((FirstFile, "抄表日期", "reading_date", "DIRECT", "TRANSFORMATION", false, "CAST AS DATE"), edges);
        Assert.Contains(edges, e => e is { InField: "用量", OutField: LineageColumn.WholeDataset, Type: "INDIRECT", Subtype: "FILTER" });
        Assert.Equal(2 * 7, edges.Count(e => e.Type == "DIRECT"));
        Assert.Equal(2 * 3, edges.Count(e => e.Type == "INDIRECT")); // the DATE and two DECIMAL columns filter rows
    }

    [Fact]
    public async Task The_downstream_lineage_of_a_source_file_reaches_the_table_columns()
    {
        var graph = await GetJsonAsync($"/api/v1/lineage/{FirstFile}?direction=down&depth=1");

        var nodes = graph.GetProperty("nodes").EnumerateArray().Select(n => (n.GetProperty("dataset").GetString(), n.GetProperty("field").GetString())).ToList();
        Assert.Contains((Dataset, "account_no"), nodes);
        Assert.Contains((Dataset, "district_code"), nodes);
        Assert.DoesNotContain(nodes, n => n.Item1 == GbkFile);
    }

    [Fact]
    public async Task The_ingest_emitted_start_and_complete_events_that_validate_against_openlineage()
    {
        Assert.NotNull(slice.Report.LineageRunId);
        var events = await slice.Platform.Lineage.Store.GetEventsAsync(slice.Report.LineageRunId.Value);

        Assert.Equal(["START", "COMPLETE"], events.Select(e => (string?)e["eventType"]));
        Assert.All(events, e => Assert.Empty(OpenLineageSchemas.Validate(e)));
        var complete = events[1];
        Assert.Equal("water_meter_daily", (string?)complete["job"]!["name"]);
        Assert.Equal(["samples/water/meter_readings_2026-10-01.csv", "samples/water/meter_readings_2026-10-02_gbk.csv"],
            complete["inputs"]!.AsArray().Select(i => (string?)i!["name"]));
        var lineage = complete["outputs"]![0]!["facets"]!["columnLineage"]!["fields"]!.AsObject();
        // Stored as jsonb, so the order of the object's members is PostgreSQL's, not the emitter's.
        Assert.Equal(["account_no", "address", "district_code", "meter_no", "reading_date", "reading_m3", "usage_m3"], lineage.Select(f => f.Key).Order(StringComparer.Ordinal));
        Assert.All(lineage, f => Assert.Equal(2, f.Value!["inputFields"]!.AsArray().Count));
    }

    [Theory]
    [InlineData("/api/v1/lineage/water.meter_reading_daily?depth=0", HttpStatusCode.BadRequest)]
    [InlineData("/api/v1/lineage/water.meter_reading_daily?depth=11", HttpStatusCode.BadRequest)]
    [InlineData("/api/v1/lineage/water.meter_reading_daily?direction=sideways", HttpStatusCode.BadRequest)]
    [InlineData("/api/v1/lineage/Water.Meter", HttpStatusCode.BadRequest)]
    [InlineData("/api/v1/lineage/file:", HttpStatusCode.BadRequest)]
    [InlineData("/api/v1/lineage/no.such_table", HttpStatusCode.NotFound)]
    public async Task Bad_lineage_requests_get_problem_details(string url, HttpStatusCode expected)
    {
        using var response = await slice.Http.GetAsync(new Uri(url, UriKind.Relative));
        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task The_openapi_document_describes_the_lineage_endpoint()
    {
        using var json = JsonDocument.Parse(await slice.Http.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative)));
        var lineage = json.RootElement.GetProperty("paths").EnumerateObject().Single(p => p.Name.StartsWith("/api/v1/lineage/", StringComparison.Ordinal));
        Assert.Equal("GetLineage", lineage.Value.GetProperty("get").GetProperty("operationId").GetString());
    }
}
