using DataHub.Host.Platform;
using DataHub.Host.Portal;
using DataHub.Host.Reports;
using DataHub.Host.Scheduling;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Playwright;

namespace DataHub.Portal.Tests;

/// <summary>
/// The portal as its users meet it: a private PostgreSQL in a fresh home, the household registration, water and
/// market samples ingested with a quality run, the server on a free loopback port, the demo's users with one
/// password, and Debian's Chromium driven by Playwright.
/// </summary>
public sealed class PortalFixture : IAsyncLifetime
{
    private readonly string _home = Directory.CreateTempSubdirectory("datahub-portal-").FullName;

    public DataHubPlatform Platform { get; private set; } = null!;

    public PipelineRunner Runner { get; private set; } = null!;

    public DataHubServer Server { get; private set; } = null!;

    public IPlaywright Playwright { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public string Password { get; } = DemoUsers.NewPassword();

    public string BaseUrl => Server.Addresses[0];

    /// <summary>Where the tests save their screenshots (under the test output).</summary>
    public static string Screenshots { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");

    public async Task InitializeAsync()
    {
        var settings = new DataHubSettings { Home = _home, Urls = "http://127.0.0.1:0", Root = DataHubSettings.FindRoot() };
        Platform = await DataHubPlatform.StartAsync(settings, NullLoggerFactory.Instance, CancellationToken.None);
        Runner = new PipelineRunner(Platform, NullLoggerFactory.Instance);
        foreach (var pipeline in new[] { "population_household_registration", "water_meter_daily", "market_business_registration" })
        {
            await Runner.RunAsync(pipeline, CancellationToken.None);
        }

        var quality = QualityServiceFactory.Create(Platform);
        await quality.RunAsync("population.household_registration", CancellationToken.None);
        await quality.RunAsync("water.meter_reading_daily", CancellationToken.None);
        await DemoUsers.EnsureAsync(Platform, Password, "test", CancellationToken.None);
        Server = await DataHubServer.StartAsync(Platform, Runner, scheduler: false, CancellationToken.None);
        Directory.CreateDirectory(Screenshots);
        Microsoft.Playwright.Assertions.SetDefaultExpectTimeout(15_000);
        Playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        Browser = await Playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = BulletinPdf.FindChromium() ?? throw new InvalidOperationException("Chromium is missing: run scripts/ensure-chromium.sh (apt-get install chromium)."),
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    /// <summary>A fresh browser session (its own cookies) at 1280×800, or at the given size.</summary>
    public async Task<IPage> NewPageAsync(int width = 1280, int height = 800, string locale = "zh-CN")
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseUrl,
            ViewportSize = new ViewportSize { Width = width, Height = height },
            Locale = locale,
        });
        // Generous: CI machines have two cores, and a sign-in hashes its password on purpose slowly.
        context.SetDefaultTimeout(30_000);
        return await context.NewPageAsync();
    }

    /// <summary>A browser session signed in as a user (through the sign-in form).</summary>
    public async Task<IPage> SignInAsync(string user, int width = 1280, int height = 800)
    {
        var page = await NewPageAsync(width, height);
        await page.GotoAsync("/login");
        await page.FillAsync("#name", user);
        await page.FillAsync("#password", Password);
        await page.ClickAsync("button[type=submit].primary");
        await page.WaitForURLAsync(BaseUrl + "/");
        return page;
    }

    /// <summary>Saves a full-page screenshot under the test output.</summary>
    public static async Task ShotAsync(IPage page, string name) =>
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Screenshots, name + ".png"), FullPage = true });

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        Playwright.Dispose();
        await Server.DisposeAsync();
        Runner.Dispose();
        await Platform.DisposeAsync();
        Directory.Delete(_home, recursive: true);
    }
}

[CollectionDefinition(Name)]
public sealed class PortalGroup : ICollectionFixture<PortalFixture>
{
    public const string Name = "portal";
}
