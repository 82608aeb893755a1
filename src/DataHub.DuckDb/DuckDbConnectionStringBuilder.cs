using System.Data.Common;
using System.Globalization;

namespace DataHub.DuckDb;

/// <summary>
/// Connection strings for <see cref="DuckDbConnection"/>: <c>Data Source</c> (a file path, <c>:memory:</c> for a
/// private in-memory database, or <c>:memory:name</c> for one shared by name inside this process) and DuckDB
/// settings applied when the database is first opened in the process: <c>Threads</c>, <c>Memory Limit</c>,
/// <c>Temp Directory</c>, <c>Access Mode</c>. Any other key is passed to DuckDB as a setting of the same name
/// (spaces become underscores), so every DuckDB option is reachable.
/// </summary>
public sealed class DuckDbConnectionStringBuilder : DbConnectionStringBuilder
{
    private const string DataSourceKey = "Data Source";

    /// <summary>Creates an empty builder.</summary>
    public DuckDbConnectionStringBuilder()
    {
    }

    /// <summary>Parses a connection string.</summary>
    public DuckDbConnectionStringBuilder(string? connectionString) => ConnectionString = connectionString ?? string.Empty;

    /// <summary>The database file, <c>:memory:</c> or <c>:memory:name</c>. Empty means <c>:memory:</c>.</summary>
    public string DataSource
    {
        get => TryGetValue(DataSourceKey, out var v) || TryGetValue("DataSource", out v) ? Convert.ToString(v, CultureInfo.InvariantCulture) ?? string.Empty : string.Empty;
        set => this[DataSourceKey] = value;
    }

    /// <summary>DuckDB worker threads (<c>threads</c>); 0 or absent means DuckDB's default (one per core).</summary>
    public int Threads
    {
        get => TryGetValue("Threads", out var v) ? Convert.ToInt32(v, CultureInfo.InvariantCulture) : 0;
        set => this["Threads"] = value;
    }

    /// <summary>DuckDB's <c>memory_limit</c>, e.g. <c>2GB</c>.</summary>
    public string? MemoryLimit
    {
        get => TryGetValue("Memory Limit", out var v) ? Convert.ToString(v, CultureInfo.InvariantCulture) : null;
        set => this["Memory Limit"] = value;
    }

    /// <summary>DuckDB's <c>temp_directory</c> for spilling to disk.</summary>
    public string? TempDirectory
    {
        get => TryGetValue("Temp Directory", out var v) ? Convert.ToString(v, CultureInfo.InvariantCulture) : null;
        set => this["Temp Directory"] = value;
    }

    /// <summary>The DuckDB settings this connection string carries, as DuckDB option names and values.</summary>
    internal IReadOnlyList<KeyValuePair<string, string>> DuckDbOptions()
    {
        var options = new List<KeyValuePair<string, string>>();
        foreach (string key in Keys)
        {
            if (key.Equals(DataSourceKey, StringComparison.OrdinalIgnoreCase) || key.Equals("DataSource", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var value = Convert.ToString(this[key], CultureInfo.InvariantCulture) ?? string.Empty;
            var name = key.Trim().Replace(' ', '_').ToLowerInvariant();
            if (name == "threads" && value == "0")
            {
                continue;
            }

            options.Add(new(name, value));
        }

        options.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        return options;
    }
}
