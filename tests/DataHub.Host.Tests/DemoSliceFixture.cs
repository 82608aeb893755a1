using DataHub.Host.Platform;
using DataHub.Host.Scheduling;
using DataHub.Pipelines.Ingest;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DataHub.Host.Tests;

/// <summary>
/// The thin slice as the demo runs it: a private PostgreSQL in a fresh home, the catalog loaded, the water
/// samples ingested, and the server listening on a free loopback port. Shared by the tests of one class.
/// </summary>
public sealed class DemoSliceFixture : IAsyncLifetime
{
    private readonly string _home = Directory.CreateTempSubdirectory("datahub-host-").FullName;

    public DataHubPlatform Platform { get; private set; } = null!;

    public PipelineRunner Runner { get; private set; } = null!;

    public DataHubServer Server { get; private set; } = null!;

    public IngestReport Report { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    /// <summary>A bureau_admin key, sent by <see cref="Http"/> on every call.</summary>
    public string AdminKey { get; private set; } = null!;

    public string Home => _home;

    public async Task InitializeAsync()
    {
        var settings = new DataHubSettings { Home = _home, Urls = "http://127.0.0.1:0", Root = DataHubSettings.FindRoot() };
        ILoggerFactory loggers = NullLoggerFactory.Instance;
        Platform = await DataHubPlatform.StartAsync(settings, loggers, CancellationToken.None);
        Runner = new PipelineRunner(Platform, loggers);
        Report = await Runner.RunAsync("water_meter_daily", CancellationToken.None);
        Server = await DataHubServer.StartAsync(Platform, Runner, scheduler: true, CancellationToken.None);
        // The data bureau's administrator: previews, pipeline runs and quality runs are for it (anonymous calls are refused).
        AdminKey = (await Platform.Identity.CreateApiKeyAsync("bureau", null, ["bureau_admin"], null, "test", CancellationToken.None)).Secret;
        Http = new HttpClient { BaseAddress = new Uri(Server.Addresses[0]) };
        Http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", AdminKey);
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Server.DisposeAsync();
        Runner.Dispose();
        await Platform.DisposeAsync();
        Directory.Delete(_home, recursive: true);
    }
}
