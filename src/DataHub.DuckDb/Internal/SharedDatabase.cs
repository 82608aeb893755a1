using System.Runtime.InteropServices;
using DataHub.DuckDb.Native;

namespace DataHub.DuckDb.Internal;

/// <summary>
/// One native <c>duckdb_database</c> per file, shared by every connection of this process that opens it and
/// closed when the last of them closes. DuckDB allows only one process-wide instance per file, and connections
/// of one instance are safe to use from different threads (one thread per connection at a time).
/// </summary>
internal sealed class SharedDatabase
{
    private static readonly Dictionary<string, SharedDatabase> Open = new(StringComparer.Ordinal);
    private static readonly Lock RegistryLock = new();

    private readonly string? _key;
    private int _references;

    private SharedDatabase(string? key, DatabaseHandle handle)
    {
        _key = key;
        Handle = handle;
    }

    public DatabaseHandle Handle { get; }

    /// <summary>Opens (or joins) the database a connection string names.</summary>
    public static SharedDatabase Acquire(DuckDbConnectionStringBuilder builder)
    {
        var source = builder.DataSource;
        var options = builder.DuckDbOptions();
        if (string.IsNullOrEmpty(source) || source == ":memory:")
        {
            // A private in-memory database: nothing to share.
            var db = new SharedDatabase(null, OpenNative(null, options));
            db._references = 1;
            return db;
        }

        var key = source.StartsWith(":memory:", StringComparison.Ordinal) ? source : Path.GetFullPath(source);
        lock (RegistryLock)
        {
            if (!Open.TryGetValue(key, out var existing))
            {
                var path = key.StartsWith(":memory:", StringComparison.Ordinal) ? null : key;
                existing = new SharedDatabase(key, OpenNative(path, options));
                Open.Add(key, existing);
            }

            existing._references++;
            return existing;
        }
    }

    /// <summary>Leaves the database; the last one out closes it.</summary>
    public void Release()
    {
        if (_key is null)
        {
            Handle.Dispose();
            return;
        }

        lock (RegistryLock)
        {
            if (--_references > 0)
            {
                return;
            }

            // Closed under the lock, so a concurrent Acquire of the same file never opens a second instance
            // while this one is still shutting down.
            Open.Remove(_key);
            Handle.Dispose();
        }
    }

    private static DatabaseHandle OpenNative(string? path, IReadOnlyList<KeyValuePair<string, string>> options)
    {
        if (NativeMethods.duckdb_create_config(out var config) != DuckDbState.Success)
        {
            throw new DuckDbException("DuckDB could not allocate a configuration.");
        }

        using (config)
        {
            foreach (var (name, value) in options)
            {
                Set(config, name, value);
            }

            if (path is not null)
            {
                var directory = Path.GetDirectoryName(path);
                if (!string.IsNullOrEmpty(directory))
                {
                    Directory.CreateDirectory(directory);
                }
            }

            if (NativeMethods.duckdb_open_ext(path, out var database, config, out var error) != DuckDbState.Success)
            {
                var message = ColumnType.TakeNativeString(error);
                database.Dispose();
                throw new DuckDbException($"DuckDB could not open '{path ?? ":memory:"}': {message}", DuckDbException.CategoryOf(message));
            }

            return database;
        }
    }

    private static void Set(ConfigHandle config, string name, string value)
    {
        if (NativeMethods.duckdb_set_config(config, name, value) != DuckDbState.Success)
        {
            throw new DuckDbException($"DuckDB rejected the setting {name} = '{value}'.", DuckDbErrorType.InvalidConfiguration);
        }
    }

    /// <summary>The version of the loaded libduckdb.</summary>
    public static string LibraryVersion => Marshal.PtrToStringUTF8(NativeMethods.duckdb_library_version()) ?? "unknown";
}
