using System.Globalization;
using DataHub.Host.Api;
using DataHub.Host.Auth;
using DataHub.Host.Portal;
using DataHub.Host.Scheduling;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Quartz;

namespace DataHub.Host.Platform;

/// <summary>
/// The web host (minimal APIs, OpenAPI document) and, when asked, the Quartz scheduler running the pipelines on
/// their cron schedules. Built over a started <see cref="DataHubPlatform"/>.
/// </summary>
/// <remarks>
/// The scheduler is a node of the deployment's Quartz cluster on the platform's PostgreSQL, configured by
/// <see cref="DataHubScheduling"/>: any number of servers on one database run each scheduled firing once, never run
/// one pipeline twice at once, and follow its misfire policy after downtime.
/// </remarks>
public sealed class DataHubServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private DataHubServer(WebApplication app, IReadOnlyList<string> addresses)
    {
        _app = app;
        Addresses = addresses;
    }

    /// <summary>The host's services (the scheduler among them).</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>The addresses Kestrel listens on (a requested port 0 is resolved to the real one).</summary>
    public IReadOnlyList<string> Addresses { get; }

    /// <summary>Builds and starts the server.</summary>
    /// <param name="platform">The started platform (PostgreSQL, catalog, lake).</param>
    /// <param name="runner">Runs the pipelines.</param>
    /// <param name="scheduler">Whether to run a Quartz cluster node (see <see cref="DataHubScheduling"/>) beside the API.</param>
    /// <param name="ct">Cancels the start.</param>
    /// <returns>The started server.</returns>
    public static async Task<DataHubServer> StartAsync(DataHubPlatform platform, PipelineRunner runner, bool scheduler, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(platform);
        ArgumentNullException.ThrowIfNull(runner);
        // Keys and grants are checked from memory while notifications of their changes arrive (see AccessChanges).
        await platform.Access.StartAsync(ct);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ContentRootPath = AppContext.BaseDirectory,
            // The portal's compiled pages are found through the application name, which must be this assembly's also
            // when another program (the tests) hosts the server.
            ApplicationName = typeof(DataHubServer).Assembly.GetName().Name,
            Args = [],
        });
        builder.WebHost.UseUrls(platform.Settings.Urls);
        builder.Services.AddSingleton(platform);
        builder.Services.AddSingleton(runner);
        builder.Services.AddSingleton<SpatialComponents>();
        builder.Services.AddOpenApi();
        builder.Services.AddProblemDetails();
        builder.Services.AddExchangeAuth();
        builder.Services.AddPortal(platform);
        if (scheduler)
        {
            builder.Services.AddQuartz(q =>
            {
                DataHubScheduling.ConfigureNode(q, platform.ConnectionString);
                DataHubScheduling.DeclareJobs(q, runner.Pipelines);
            });
            builder.Services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        }

        var app = builder.Build();
        if (Environment.GetEnvironmentVariable("DATAHUB_SERVER_TIMING") == "1")
        {
            // For benchmarks: how long the server spent on each answer (first middleware to the response's start).
            app.Use((context, next) =>
            {
                var started = System.Diagnostics.Stopwatch.GetTimestamp();
                context.Response.OnStarting(() =>
                {
                    context.Response.Headers["Server-Timing"] = string.Create(
                        CultureInfo.InvariantCulture, $"app;dur={System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds:F3}");
                    return Task.CompletedTask;
                });
                return next(context);
            });
        }

        app.UseExceptionHandler();
        app.UsePortalHeaders();
        app.UseRefusalAudit();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapOpenApi();
        app.MapHealthApi();
        app.MapDatasetsApi();
        app.MapLineageApi();
        app.MapCatalogApi();
        app.MapQualityApi();
        app.MapPipelinesApi();
        app.MapAuditApi();
        app.MapExchangeApi();
        app.MapExchangeRequestsApi();
        app.MapExchangeDeliveryApi();
        app.MapDemandsApi();
        app.MapThemesApi();
        app.MapSpatialApi();
        app.MapPortal(platform);
        app.MapGet("/api", () => TypedResults.Ok(new
        {
            name = "DataHub",
            portal = "/ (sign in at /login)",
            health = "/health",
            datasets = "/api/v1/datasets",
            dataset = "/api/v1/datasets/{name}",
            preview = "/api/v1/datasets/{name}/preview?limit=20",
            lineage = "/api/v1/lineage/{dataset}?direction=up&depth=3",
            tree = "/api/v1/catalog/tree?root=L1.base&depth=3",
            search = "/api/v1/catalog/search?q=户籍",
            coverage = "/api/v1/catalog/coverage",
            geocode = "/api/v1/spatial/geocode?address=合肥市蜀山区三里庵街道长江西路100号 (with a key)",
            pipelines = "/api/v1/pipelines",
            audit = "/api/v1/audit/verify",
            me = "/api/v1/exchange/me (Authorization: Bearer dhk_…)",
            openapi = "/openapi/v1.json",
        })).ExcludeFromDescription();
        await app.StartAsync(ct);
        if (scheduler)
        {
            var factory = app.Services.GetRequiredService<ISchedulerFactory>();
            await DataHubScheduling.ReconcileAsync(await factory.GetScheduler(ct), runner.Pipelines, ct);
        }

        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.ToList() ?? [];
        return new DataHubServer(app, addresses);
    }

    /// <summary>Waits until the token is cancelled (Ctrl+C) or the host stops.</summary>
    public async Task WaitAsync(CancellationToken ct)
    {
        var stopped = _app.Lifetime.ApplicationStopping;
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, stopped);
        try
        {
            await Task.Delay(Timeout.Infinite, linked.Token);
        }
        catch (OperationCanceledException)
        {
            // Stop requested.
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}
