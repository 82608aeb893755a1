namespace DataHub.Catalog.Postgres;

/// <summary>
/// Settings for <see cref="PrivatePostgres"/>. Every property has a default that suits the <c>datahub</c> host;
/// tests override the binary directory, the timeouts and durability.
/// </summary>
public sealed class PrivatePostgresOptions
{
    /// <summary>The environment variable that may name the directory holding <c>initdb</c>, <c>pg_ctl</c> and <c>postgres</c>.</summary>
    public const string BinDirectoryVariable = "DATAHUB_PG_BIN";

    /// <summary>The environment variable the host reads for an existing server's connection string (no private cluster then).</summary>
    public const string ConnectionStringVariable = "DATAHUB_PG";

    /// <summary>
    /// Directory holding the PostgreSQL server binaries. When null, <see cref="BinDirectoryVariable"/> is read,
    /// then <c>PATH</c>, then the highest version under <c>/usr/lib/postgresql/*/bin</c>.
    /// When set (here or through the variable) no other place is searched.
    /// </summary>
    public string? BinDirectory { get; init; }

    /// <summary>Whether to read <see cref="BinDirectoryVariable"/> when <see cref="BinDirectory"/> is null. Default true.</summary>
    public bool ReadEnvironment { get; init; } = true;

    /// <summary>The cluster superuser created by <c>initdb</c> and used in <see cref="PrivatePostgres.ConnectionString"/>.</summary>
    public string SuperUser { get; init; } = "datahub";

    /// <summary>The database created after the first start and named in <see cref="PrivatePostgres.ConnectionString"/>.</summary>
    public string Database { get; init; } = "datahub";

    /// <summary>The operating-system account that runs the server when this process runs as root. Default <c>postgres</c>.</summary>
    public string ServiceAccount { get; init; } = "postgres";

    /// <summary>How long to wait for the server to accept connections after starting it. Default 60 seconds.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long to wait for the exclusive lock another process holds on the cluster directory. Default 2 minutes.</summary>
    public TimeSpan LockTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Trade durability for speed: <c>initdb --no-sync</c>, <c>fsync=off</c>, <c>synchronous_commit=off</c>,
    /// <c>full_page_writes=off</c>. Only for throw-away clusters such as test runs. Default false.
    /// </summary>
    public bool Ephemeral { get; init; }

    /// <summary>Additional server settings (name → value) written to the cluster's <c>datahub.conf</c> on every start.</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();
}
