using System.Globalization;

namespace DataHub.Catalog.Postgres;

/// <summary>The directory holding <c>initdb</c>, <c>pg_ctl</c> and <c>postgres</c>, and how it was found.</summary>
internal sealed class PostgresBinaries
{
    private const string DebianRoot = "/usr/lib/postgresql";
    private static readonly string[] Required = ["initdb", "pg_ctl", "postgres"];

    private PostgresBinaries(string directory, string foundBy)
    {
        Directory = directory;
        FoundBy = foundBy;
    }

    /// <summary>The bin directory.</summary>
    public string Directory { get; }

    /// <summary>Where the directory came from (option, variable, PATH, Debian layout), for the log.</summary>
    public string FoundBy { get; }

    /// <summary>Full path of <c>initdb</c>.</summary>
    public string InitDb => Path.Combine(Directory, "initdb");

    /// <summary>Full path of <c>pg_ctl</c>.</summary>
    public string PgCtl => Path.Combine(Directory, "pg_ctl");

    /// <summary>
    /// Finds the binaries: the option, else <c>DATAHUB_PG_BIN</c>, else PATH, else the highest version under
    /// <c>/usr/lib/postgresql/*/bin</c> (preferring the major version an existing cluster was created with).
    /// </summary>
    /// <param name="options">The cluster options.</param>
    /// <param name="clusterDirectory">The cluster directory, to read <c>PG_VERSION</c> from when it exists.</param>
    /// <exception cref="PrivatePostgresException">No complete set of binaries was found.</exception>
    public static PostgresBinaries Locate(PrivatePostgresOptions options, string clusterDirectory)
    {
        if (!string.IsNullOrWhiteSpace(options.BinDirectory))
        {
            return Explicit(options.BinDirectory, "the BinDirectory option");
        }

        var fromEnvironment = options.ReadEnvironment
            ? Environment.GetEnvironmentVariable(PrivatePostgresOptions.BinDirectoryVariable)
            : null;
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            return Explicit(fromEnvironment, PrivatePostgresOptions.BinDirectoryVariable);
        }

        var searched = new List<string>();
        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        foreach (var entry in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            if (HasAll(entry))
            {
                return new PostgresBinaries(Path.GetFullPath(entry), "PATH");
            }
        }

        searched.Add("PATH");
        var versions = InstalledVersions();
        var clusterVersion = ReadClusterVersion(clusterDirectory);
        if (clusterVersion is not null && versions.Contains(clusterVersion.Value))
        {
            return new PostgresBinaries(DebianBin(clusterVersion.Value), $"{DebianRoot} (matching the cluster's PG_VERSION)");
        }

        if (versions.Count > 0)
        {
            return new PostgresBinaries(DebianBin(versions.Max()), $"{DebianRoot} (highest installed version)");
        }

        searched.Add(DebianRoot + "/*/bin");
        throw NotFound(string.Join(" and ", searched));
    }

    private static PostgresBinaries Explicit(string directory, string source)
    {
        var full = Path.GetFullPath(directory);
        if (!HasAll(full))
        {
            throw NotFound($"{full} (from {source})");
        }

        return new PostgresBinaries(full, source);
    }

    private static PrivatePostgresException NotFound(string searched) => new(
        $"PostgreSQL server binaries (initdb, pg_ctl, postgres) were not found; searched {searched}. "
        + "Install them (Debian/Ubuntu: 'apt-get install postgresql'), or set "
        + $"{PrivatePostgresOptions.BinDirectoryVariable} to the directory that holds them, or set "
        + $"{PrivatePostgresOptions.ConnectionStringVariable} to the connection string of an existing server "
        + "so no private cluster is started.");

    private static bool HasAll(string directory)
    {
        try
        {
            return Required.All(name => File.Exists(Path.Combine(directory, name)));
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static string DebianBin(int version) =>
        Path.Combine(DebianRoot, version.ToString(CultureInfo.InvariantCulture), "bin");

    private static List<int> InstalledVersions()
    {
        var versions = new List<int>();
        if (!System.IO.Directory.Exists(DebianRoot))
        {
            return versions;
        }

        foreach (var candidate in System.IO.Directory.EnumerateDirectories(DebianRoot))
        {
            if (int.TryParse(Path.GetFileName(candidate), NumberStyles.None, CultureInfo.InvariantCulture, out var version)
                && HasAll(Path.Combine(candidate, "bin")))
            {
                versions.Add(version);
            }
        }

        return versions;
    }

    private static int? ReadClusterVersion(string clusterDirectory)
    {
        var file = Path.Combine(clusterDirectory, "PG_VERSION");
        try
        {
            return File.Exists(file)
                && int.TryParse(File.ReadAllText(file).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var version)
                ? version
                : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
