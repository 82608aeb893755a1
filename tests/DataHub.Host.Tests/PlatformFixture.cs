using DataHub.Host.Platform;
using Microsoft.Extensions.Logging.Abstractions;

namespace DataHub.Host.Tests;

/// <summary>A started platform (private PostgreSQL, catalog loaded) in a fresh home, with nothing ingested.</summary>
public sealed class PlatformFixture : IAsyncLifetime
{
    public string Home { get; } = Directory.CreateTempSubdirectory("datahub-platform-").FullName;

    public DataHubPlatform Platform { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var settings = new DataHubSettings { Home = Home, Urls = "http://127.0.0.1:0", Root = DataHubSettings.FindRoot() };
        Platform = await DataHubPlatform.StartAsync(settings, NullLoggerFactory.Instance, CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await Platform.DisposeAsync();
        Directory.Delete(Home, recursive: true);
    }
}
