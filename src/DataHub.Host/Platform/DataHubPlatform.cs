using DataHub.Catalog;
using DataHub.Catalog.Audit;
using DataHub.Catalog.Lineage;
using DataHub.Catalog.Postgres;
using DataHub.Exchange.Identity;
using DataHub.Lake;
using DataHub.Lake.Tables;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace DataHub.Host.Platform;

/// <summary>
/// The running foundation every verb needs: PostgreSQL (the configured server or the private cluster), the
/// catalog schema migrated, the catalog definitions loaded, and the lake. Disposing stops the private cluster
/// if this process started it.
/// </summary>
public sealed partial class DataHubPlatform : IAsyncDisposable
{
    private readonly PrivatePostgres? _postgres;
    private readonly HttpClient? _lineageHttp;
    private readonly Lazy<ExchangeComponents> _exchange;
    private readonly Lazy<ThemeComponents> _themes;

    private DataHubPlatform(DataHubSettings settings, PrivatePostgres? postgres, string connectionString, NpgsqlDataSource dataSource, CatalogDefinitions definitions, ILoggerFactory loggers)
    {
        Settings = settings;
        _postgres = postgres;
        ConnectionString = connectionString;
        DataSource = dataSource;
        Definitions = definitions;
        Catalog = new CatalogStore(dataSource);
        Audit = new AuditLog(dataSource);
        Access = new AccessChanges(dataSource);
        Identity = new IdentityStore(dataSource, Access);
        Lake = new LakeStorage(settings.LakeDirectory);
        Tables = new LakeTables(dataSource, Lake);
        OpenLineageHttpTransport? transport = null;
        if (settings.LineageUrl is { } url)
        {
            _lineageHttp = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            transport = new OpenLineageHttpTransport(_lineageHttp, url);
        }

        _exchange = new Lazy<ExchangeComponents>(() => new ExchangeComponents(this), LazyThreadSafetyMode.ExecutionAndPublication);
        _themes = new Lazy<ThemeComponents>(() => new ThemeComponents(this), LazyThreadSafetyMode.ExecutionAndPublication);
        Lineage = new LineageEmitter(new LineageStore(dataSource), new OpenLineageEventBuilder(), transport, TimeProvider.System, loggers.CreateLogger("DataHub.Lineage"));
    }

    /// <summary>The settings in force.</summary>
    public DataHubSettings Settings { get; }

    /// <summary>
    /// The Npgsql connection string of the PostgreSQL in use (the private cluster's, or <c>DATAHUB_PG</c> as given,
    /// credentials included), for components that open connections of their own: the Quartz job store.
    /// </summary>
    public string ConnectionString { get; }

    /// <summary>The one data source for PostgreSQL.</summary>
    public NpgsqlDataSource DataSource { get; }

    /// <summary>The catalog as code, as loaded.</summary>
    public CatalogDefinitions Definitions { get; }

    /// <summary>The catalog store.</summary>
    public CatalogStore Catalog { get; }

    /// <summary>The sharing exchange's hash-chained, append-only audit log.</summary>
    public AuditLog Audit { get; }

    /// <summary>
    /// Notifications of changed keys, users, requests and grants: while it listens (a serving process starts it), those
    /// are checked from memory and dropped the moment anything changes.
    /// </summary>
    public AccessChanges Access { get; }

    /// <summary>The exchange's users and API keys.</summary>
    public IdentityStore Identity { get; }

    /// <summary>The lake layout.</summary>
    public LakeStorage Lake { get; }

    /// <summary>The lake's versioned tables.</summary>
    public LakeTables Tables { get; }

    /// <summary>Emits OpenLineage events and records column lineage (posting them too when <c>DataHub:Lineage:Url</c> is set).</summary>
    public LineageEmitter Lineage { get; }

    /// <summary>The sharing exchange (made on first use: its DuckDB database and the mask key).</summary>
    public ExchangeComponents Exchange => _exchange.Value;

    /// <summary>The theme databases (definitions read on first use).</summary>
    public ThemeComponents Themes => _themes.Value;

    /// <summary>A description of where PostgreSQL runs, for status output.</summary>
    public string PostgresDescription => _postgres is null
        ? "external server (DATAHUB_PG)"
        : $"private cluster {_postgres.ClusterDirectory} on 127.0.0.1:{_postgres.Port}{(_postgres.StartedByThisProcess ? " (started by this process)" : " (already running, reused)")}";

    /// <summary>Starts (or joins) PostgreSQL, migrates, and loads <c>catalog/</c>.</summary>
    public static Task<DataHubPlatform> StartAsync(DataHubSettings settings, ILoggerFactory loggers, CancellationToken ct) =>
        StartAsync(settings, loggers, applyCatalog: true, ct);

    /// <summary>
    /// Starts (or joins) PostgreSQL, migrates, reads <c>catalog/</c> and, when <paramref name="applyCatalog"/> is set,
    /// writes it into the catalog tables (<c>datahub catalog apply</c> starts without, to show the difference first).
    /// </summary>
    public static async Task<DataHubPlatform> StartAsync(DataHubSettings settings, ILoggerFactory loggers, bool applyCatalog, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(loggers);
        var logger = loggers.CreateLogger<DataHubPlatform>();
        Directory.CreateDirectory(settings.Home);
        PrivatePostgres? postgres = null;
        string connectionString;
        if (settings.PostgresConnectionString is { } external)
        {
            connectionString = external;
        }
        else
        {
            postgres = await PrivatePostgres.StartAsync(settings.PostgresDirectory, loggers.CreateLogger<PrivatePostgres>(), ct);
            connectionString = postgres.ConnectionString;
        }

        try
        {
            var dataSource = new NpgsqlDataSourceBuilder(connectionString) { Name = "datahub" }.Build();
            var applied = await Migrator.ApplyAsync(dataSource, loggers.CreateLogger("DataHub.Migrations"), ct);
            var definitions = CatalogDefinitions.Load(Path.Combine(settings.Root, "catalog"));
            var changed = applyCatalog
                ? (await CatalogLoader.ApplyAsync(dataSource, definitions, loggers.CreateLogger("DataHub.Catalog"), ct)).Total
                : 0;
            LogReady(logger, applied, definitions.Datasets.Count, changed);
            return new DataHubPlatform(settings, postgres, connectionString, dataSource, definitions, loggers);
        }
        catch
        {
            if (postgres is not null)
            {
                await postgres.DisposeAsync();
            }

            throw;
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _lineageHttp?.Dispose();
        if (_exchange.IsValueCreated)
        {
            _exchange.Value.Dispose();
        }

        await Access.DisposeAsync();
        await DataSource.DisposeAsync();
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Catalog ready: {Migrations} migration(s) applied, {Datasets} dataset definition(s), {Changed} catalog row(s) changed")]
    private static partial void LogReady(ILogger logger, int migrations, int datasets, int changed);
}
