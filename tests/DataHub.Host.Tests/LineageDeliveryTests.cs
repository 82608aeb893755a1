using System.Text.Json.Nodes;
using DataHub.Catalog.Tests.Lineage;
using DataHub.Catalog.Tests.Lineage.Schema;
using DataHub.Host.Platform;
using DataHub.Host.Scheduling;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace DataHub.Host.Tests;

/// <summary>OpenLineage delivery configured through settings: off by default, and when on, the ingest's events reach the endpoint.</summary>
public sealed class LineageDeliveryTests : IDisposable
{
    private readonly string _home = Directory.CreateTempSubdirectory("datahub-delivery-").FullName;

    public void Dispose() => Directory.Delete(_home, recursive: true);

    private static IConfiguration Configuration(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    [Fact]
    public void Environment_variables_set_to_nothing_count_as_not_set()
    {
        var home = Path.Combine(Path.GetTempPath(), "datahub-settings-home");
        var settings = DataHubSettings.From(
            Configuration(("DataHub:Home", home), ("DataHub:Urls", "http://127.0.0.1:5999"), ("DataHub:Postgres", "Host=db")),
            environment: name => name == "DATAHUB_ROOT" ? "  " : string.Empty);
        Assert.Equal(Path.GetFullPath(home), settings.Home);
        Assert.Equal("http://127.0.0.1:5999", settings.Urls);
        Assert.Equal("Host=db", settings.PostgresConnectionString);
        Assert.Equal(DataHubSettings.FindRoot(), settings.Root);
        Assert.Null(settings.LineageUrl);

        // And one set to something wins over the configuration.
        Assert.Equal(Path.GetFullPath("/tmp/from-env"), DataHubSettings.From(Configuration(("DataHub:Home", home)), environment: n => n == "DATAHUB_HOME" ? "/tmp/from-env" : null).Home);
    }

    [Fact]
    public void Delivery_is_off_unless_an_endpoint_is_configured()
    {
        Assert.Null(DataHubSettings.From(Configuration()).LineageUrl);
        Assert.Equal(new Uri("http://marquez:5000/api/v1/lineage"),
            DataHubSettings.From(Configuration(("DataHub:Lineage:Url", "http://marquez:5000/api/v1/lineage"))).LineageUrl);
    }

    [Theory]
    [InlineData("marquez:5000/api/v1/lineage")]
    [InlineData("/api/v1/lineage")]
    [InlineData("ftp://marquez/api/v1/lineage")]
    public void A_bad_endpoint_is_a_clear_configuration_error(string url)
    {
        var error = Assert.Throws<ArgumentException>(() => DataHubSettings.From(Configuration(("DataHub:Lineage:Url", url))));
        Assert.Contains("DATAHUB_LINEAGE_URL", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_an_endpoint_the_demo_ingest_posts_its_start_and_complete_events()
    {
        await using var receiver = new LineageReceiver();
        var settings = new DataHubSettings
        {
            Home = _home,
            Urls = "http://127.0.0.1:0",
            Root = DataHubSettings.FindRoot(),
            LineageUrl = receiver.Endpoint,
        };
        await using (var platform = await DataHubPlatform.StartAsync(settings, NullLoggerFactory.Instance, CancellationToken.None))
        {
            using var runner = new PipelineRunner(platform, NullLoggerFactory.Instance);
            var report = await runner.RunAsync("water_meter_daily", CancellationToken.None);
            Assert.Equal(476, report.RowsCommitted);
        }

        var posted = receiver.Received;
        Assert.All(posted, p => Assert.Equal(("POST", "/api/v1/lineage"), (p.Method, p.Path)));
        var events = posted.Select(p => JsonNode.Parse(p.Body)!).ToList();
        Assert.Equal(["START", "COMPLETE"], events.Select(e => (string?)e["eventType"]));
        Assert.All(events, e => Assert.Empty(OpenLineageSchemas.Validate(e)));
        Assert.Equal(7, events[1]["outputs"]![0]!["facets"]!["columnLineage"]!["fields"]!.AsObject().Count);
    }
}
