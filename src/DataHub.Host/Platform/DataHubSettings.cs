using Microsoft.Extensions.Configuration;

namespace DataHub.Host.Platform;

/// <summary>
/// Where DataHub keeps its state and finds its definitions. Read from <c>appsettings.json</c> (section
/// <c>DataHub</c>) and overridden by <c>DATAHUB_*</c> environment variables: <c>DATAHUB_HOME</c>,
/// <c>DATAHUB_PG</c> (an existing PostgreSQL; without it a private cluster is started), <c>DATAHUB_URLS</c>,
/// <c>DATAHUB_ROOT</c> (the folder holding <c>catalog/</c>, <c>pipelines/</c> and <c>samples/</c>),
/// <c>DATAHUB_LINEAGE_URL</c> (<c>DataHub:Lineage:Url</c>: where OpenLineage events are also posted; off when unset).
/// </summary>
public sealed record DataHubSettings
{
    /// <summary>The data directory (default <c>./.datahub</c>).</summary>
    public required string Home { get; init; }

    /// <summary>An Npgsql connection string for an existing server, or null for the private cluster.</summary>
    public string? PostgresConnectionString { get; init; }

    /// <summary>Listen addresses (default <c>http://127.0.0.1:5080</c>).</summary>
    public required string Urls { get; init; }

    /// <summary>The folder holding the definitions (<c>catalog/</c>, <c>pipelines/</c>) and <c>samples/</c>.</summary>
    public required string Root { get; init; }

    /// <summary>A Marquez-compatible endpoint (<c>…/api/v1/lineage</c>) OpenLineage events are posted to, or null (the default) for none.</summary>
    public Uri? LineageUrl { get; init; }

    /// <summary>The lake root.</summary>
    public string LakeDirectory => Path.Combine(Home, "lake");

    /// <summary>The private cluster's directory.</summary>
    public string PostgresDirectory => Path.Combine(Home, "pg");

    /// <summary>Reads settings from configuration and the environment (a variable set to nothing counts as not set).</summary>
    /// <param name="configuration">The configuration (appsettings, command line).</param>
    /// <param name="urlsOverride">Addresses to listen on instead of the configured ones.</param>
    /// <param name="environment">Reads an environment variable; the process's own by default.</param>
    public static DataHubSettings From(IConfiguration configuration, string? urlsOverride = null, Func<string, string?>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        environment ??= Environment.GetEnvironmentVariable;
        string? Env(string name) => environment(name) is { } value && !string.IsNullOrWhiteSpace(value) ? value : null;
        var home = Env("DATAHUB_HOME") ?? configuration["DataHub:Home"] ?? ".datahub";
        var root = Env("DATAHUB_ROOT") ?? configuration["DataHub:Root"] ?? FindRoot();
        return new DataHubSettings
        {
            Home = Path.GetFullPath(home),
            PostgresConnectionString = Env("DATAHUB_PG") ?? configuration["DataHub:Postgres"],
            Urls = urlsOverride ?? Env("DATAHUB_URLS") ?? configuration["DataHub:Urls"] ?? "http://127.0.0.1:5080",
            Root = Path.GetFullPath(root),
            LineageUrl = LineageEndpoint(Env("DATAHUB_LINEAGE_URL") ?? configuration["DataHub:Lineage:Url"]),
        };
    }

    private static Uri? LineageEndpoint(string? url) =>
        string.IsNullOrWhiteSpace(url) ? null
        : Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) ? uri
        : throw new ArgumentException($"The OpenLineage endpoint (DATAHUB_LINEAGE_URL or DataHub:Lineage:Url) '{url}' is not an absolute http(s) URL.");

    /// <summary>The nearest folder, from the working directory or the executable upwards, that holds both catalog/ and pipelines/.</summary>
    public static string FindRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (Directory.Exists(Path.Combine(dir.FullName, "catalog")) && Directory.Exists(Path.Combine(dir.FullName, "pipelines")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new DirectoryNotFoundException(
            "DataHub could not find its definitions: no folder holding both catalog/ and pipelines/ above the working directory or the executable. Run from the repository or set DATAHUB_ROOT.");
    }
}
