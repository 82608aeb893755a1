using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using DataHub.Host.Cli;
using DataHub.Host.Platform;
using DataHub.Host.Scheduling;
using Microsoft.Extensions.Logging.Abstractions;

namespace DataHub.Host.Tests;

/// <summary>
/// Geocoding over HTTP and on the command line against the standard addresses the pipeline ingested from
/// samples/address: the access policy (divisions open, geocoding for any key, the standard address text cut at the
/// township for departments other than the provider), validation, and the batch mode over a lake table's column.
/// </summary>
public sealed class SpatialApiTests(SpatialApiTests.Fixture fixture) : IClassFixture<SpatialApiTests.Fixture>
{
    // The fifth line of samples/address/standard_address_2026-09.csv, written as a resident would.
    private const string Written = "合肥市肥东县桥头集镇龙泉路399号锦绣家园30幢3单元601室";
    private const string Code = "34012210301200000003";

    [Fact]
    public async Task Divisions_are_open_and_list_children_by_parent_code()
    {
        var (status, body) = await fixture.GetAsync("/api/v1/spatial/divisions", null);
        Assert.Equal(HttpStatusCode.OK, status);
        using var counties = JsonDocument.Parse(body);
        Assert.Equal(9, counties.RootElement.GetArrayLength());
        (status, body) = await fixture.GetAsync("/api/v1/spatial/divisions?parent=340104", null);
        Assert.Contains("\"340104001\"", body, StringComparison.Ordinal);
        Assert.Contains("三里庵街道", body, StringComparison.Ordinal);
        (status, body) = await fixture.GetAsync("/api/v1/spatial/divisions?parent=999999", null);
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Contains("999999", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Geocoding_needs_a_key_and_shows_the_standard_text_whole_only_to_the_bureau_and_the_provider()
    {
        var query = "/api/v1/spatial/geocode?address=" + Uri.EscapeDataString(Written);
        Assert.Equal(HttpStatusCode.Unauthorized, (await fixture.GetAsync(query, null)).Status);

        foreach (var (key, whole) in new[] { (fixture.BureauKey, true), (fixture.LandKey, true), (fixture.GasKey, false) })
        {
            var (status, body) = await fixture.GetAsync(query, key);
            Assert.True(status == HttpStatusCode.OK, body);
            using var r = JsonDocument.Parse(body);
            Assert.Equal("Address", r.RootElement.GetProperty("level").GetString());
            Assert.Equal(Code, r.RootElement.GetProperty("code").GetString());
            Assert.Equal("340122103012", r.RootElement.GetProperty("community").GetProperty("code").GetString());
            var text = r.RootElement.GetProperty("standardAddress").GetString()!;
            if (whole)
            {
                Assert.Equal("安徽省合肥市肥东县桥头集镇龙泉社区龙泉路399号锦绣家园30栋3单元601室", text);
            }
            else
            {
                Assert.StartsWith("安徽省合肥市肥东县桥头集镇", text, StringComparison.Ordinal);
                Assert.DoesNotContain("龙泉路", text, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task A_conflicting_township_is_reported_over_http()
    {
        var (status, body) = await fixture.GetAsync("/api/v1/spatial/geocode?address=" + Uri.EscapeDataString("合肥市肥东县岗集镇龙泉路399号锦绣家园30栋3单元601室"), fixture.GasKey);
        Assert.Equal(HttpStatusCode.OK, status);
        using var r = JsonDocument.Parse(body);
        Assert.True(r.RootElement.GetProperty("hasConflict").GetBoolean());
        var issue = r.RootElement.GetProperty("issues").EnumerateArray().First(i => i.GetProperty("kind").GetString() == "Conflict");
        Assert.Equal("Township", issue.GetProperty("part").GetString());
    }

    [Fact]
    public async Task A_batch_is_answered_in_order_and_bad_batches_are_refused_naming_the_entry()
    {
        var (status, body) = await fixture.PostAsync("/api/v1/spatial/geocode", new { addresses = new[] { Written, "北京市海淀区中关村大街1号" } }, fixture.GasKey);
        Assert.True(status == HttpStatusCode.OK, body);
        using var r = JsonDocument.Parse(body);
        Assert.Equal(Code, r.RootElement[0].GetProperty("code").GetString());
        Assert.Equal("None", r.RootElement[1].GetProperty("level").GetString());

        (status, body) = await fixture.PostAsync("/api/v1/spatial/geocode", new { addresses = new[] { Written, " " } }, fixture.GasKey);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("addresses[1]", body, StringComparison.Ordinal);
        (status, _) = await fixture.PostAsync("/api/v1/spatial/geocode", new { addresses = Enumerable.Repeat(Written, 1001) }, fixture.GasKey);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        (status, _) = await fixture.GetAsync("/api/v1/spatial/geocode", fixture.GasKey);
        Assert.Equal(HttpStatusCode.BadRequest, status);
    }

    [Fact]
    public async Task Reverse_geocoding_places_hefei_station_in_yaohai_and_refuses_bad_coordinates()
    {
        var (status, body) = await fixture.GetAsync("/api/v1/spatial/reverse?lng=117.3175&lat=31.8826", fixture.GasKey);
        Assert.True(status == HttpStatusCode.OK, body);
        using var r = JsonDocument.Parse(body);
        Assert.Equal("340102", r.RootElement.GetProperty("county").GetProperty("code").GetString());
        Assert.StartsWith("340102", r.RootElement.GetProperty("nearestCode").GetString(), StringComparison.Ordinal);
        var nearest = r.RootElement.GetProperty("nearestAddress").GetString()!;
        Assert.Matches(@"^安徽省合肥市瑶海区\p{IsCJKUnifiedIdeographs}+(街道|镇|乡)\*+$", nearest);

        (status, body) = await fixture.GetAsync("/api/v1/spatial/reverse?lng=200&lat=31", fixture.GasKey);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("lng=200", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_cli_geocodes_one_address_and_a_point_over_the_lake()
    {
        var (code, output) = await fixture.CliAsync("geocode", Written);
        Assert.Equal(0, code);
        Assert.Contains("match       address", output, StringComparison.Ordinal);
        Assert.Contains("code        " + Code, output, StringComparison.Ordinal);

        (code, output) = await fixture.CliAsync("geocode", "--reverse", "117.2935,31.8735");
        Assert.Equal(0, code);
        Assert.Contains("county      340103 庐阳区", output, StringComparison.Ordinal);

        (code, output) = await fixture.CliAsync("geocode", "--reverse", "north");
        Assert.Equal(1, code);
        Assert.Contains("'north'", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_batch_mode_writes_one_result_per_row_of_a_lake_column_under_the_home()
    {
        var (code, output) = await fixture.CliAsync("geocode", "--table", "water.account_holder", "--column", "address", "--key", "account_no", "--out", "water-accounts.csv");
        Assert.True(code == 0, output);
        var file = Path.Combine(fixture.Home, "exports", "geocode", "water-accounts.csv");
        var lines = await File.ReadAllLinesAsync(file);
        var rows = (await fixture.Platform.Tables.ScanAsync("water.account_holder")).RowCount;
        Assert.Equal(rows + 1, lines.Length);
        Assert.StartsWith("key,input,level,confidence,code,county_code", lines[0], StringComparison.Ordinal);
        Assert.Contains(lines, l => l.StartsWith("WS", StringComparison.Ordinal) && l.Contains(",340", StringComparison.Ordinal));
        Assert.Matches(@"water\.account_holder\.address: [\d,]+ rows geocoded", output);
        Assert.Contains("address match rate", output, StringComparison.Ordinal);

        (code, output) = await fixture.CliAsync("geocode", "--table", "water.account_holder", "--column", "address", "--out", "../escape.csv");
        Assert.Equal(1, code);
        Assert.Contains("plain file name", output, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(fixture.Home, "exports", "escape.csv")));

        (code, output) = await fixture.CliAsync("geocode", "--table", "water.account_holder", "--column", "addr\"; DROP TABLE x; --");
        Assert.Equal(1, code);
        Assert.Contains("is not a column of water.account_holder", output, StringComparison.Ordinal);

        (code, output) = await fixture.CliAsync("geocode", "--table", "water.nothing", "--column", "address");
        Assert.Equal(1, code);
        Assert.Contains("no table 'water.nothing'", output, StringComparison.Ordinal);
    }

    /// <summary>A private PostgreSQL in a fresh home, the standard addresses and water account holders ingested, the server up, three keys.</summary>
    public sealed class Fixture : IAsyncLifetime
    {
        private HttpClient Http { get; set; } = null!;

        public string Home { get; } = Directory.CreateTempSubdirectory("datahub-spatial-").FullName;

        public DataHubPlatform Platform { get; private set; } = null!;

        public string BureauKey { get; private set; } = null!;

        public string LandKey { get; private set; } = null!;

        public string GasKey { get; private set; } = null!;

        private PipelineRunner Runner { get; set; } = null!;

        private DataHubServer Server { get; set; } = null!;

        public async Task InitializeAsync()
        {
            var settings = new DataHubSettings { Home = Home, Urls = "http://127.0.0.1:0", Root = DataHubSettings.FindRoot() };
            Platform = await DataHubPlatform.StartAsync(settings, NullLoggerFactory.Instance, CancellationToken.None);
            Runner = new PipelineRunner(Platform, NullLoggerFactory.Instance);
            await Runner.RunAsync("spatial_standard_address", CancellationToken.None);
            await Runner.RunAsync("water_account_holder", CancellationToken.None);
            Server = await DataHubServer.StartAsync(Platform, Runner, scheduler: false, CancellationToken.None);
            Http = new HttpClient { BaseAddress = new Uri(Server.Addresses[0]) };
            BureauKey = (await Platform.Identity.CreateApiKeyAsync("bureau", null, ["bureau_admin"], null, "test", CancellationToken.None)).Secret;
            LandKey = (await Platform.Identity.CreateApiKeyAsync("land", null, ["analyst"], null, "test", CancellationToken.None)).Secret;
            GasKey = (await Platform.Identity.CreateApiKeyAsync("gas", null, ["analyst"], null, "test", CancellationToken.None)).Secret;
        }

        public Task<(HttpStatusCode Status, string Body)> GetAsync(string path, string? key) => SendAsync(new HttpRequestMessage(HttpMethod.Get, path), key);

        public Task<(HttpStatusCode Status, string Body)> PostAsync(string path, object body, string? key) =>
            SendAsync(new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json") }, key);

        public async Task<(int Code, string Output)> CliAsync(params string[] args)
        {
            using var output = new StringWriter();
            var code = await DataHubCli.RunAsync([.. args, "--home", Home, "--pg", Platform.ConnectionString], output, CancellationToken.None);
            return (code, output.ToString());
        }

        public async Task DisposeAsync()
        {
            Http.Dispose();
            await Server.DisposeAsync();
            Runner.Dispose();
            await Platform.DisposeAsync();
            Directory.Delete(Home, recursive: true);
        }

        private async Task<(HttpStatusCode, string)> SendAsync(HttpRequestMessage request, string? key)
        {
            using (request)
            {
                if (key is not null)
                {
                    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
                }

                using var response = await Http.SendAsync(request);
                return (response.StatusCode, await response.Content.ReadAsStringAsync());
            }
        }
    }
}
