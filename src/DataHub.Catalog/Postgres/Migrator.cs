using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace DataHub.Catalog.Postgres;

/// <summary>
/// Brings the <c>datahub</c> schema up to date from the embedded <c>Migrations/NNNN_name.sql</c> scripts.
/// Each script runs in its own transaction holding a transaction-scoped advisory lock, and is recorded in
/// <c>datahub.schema_version</c>; concurrent starters serialise on the lock and skip what the other applied.
/// </summary>
public static partial class Migrator
{
    /// <summary>The key of the advisory lock taken by every migration transaction (ASCII "DataHub").</summary>
    public const long AdvisoryLockKey = 0x0044_6174_6148_7562;

    private const string Bootstrap = """
        CREATE SCHEMA IF NOT EXISTS datahub;
        CREATE TABLE IF NOT EXISTS datahub.schema_version (
            version     int PRIMARY KEY,
            name        text NOT NULL,
            applied_at  timestamptz NOT NULL DEFAULT now()
        );
        """;

    private static readonly Lazy<IReadOnlyList<MigrationScript>> EmbeddedScripts = new(LoadScripts);

    /// <summary>The embedded migrations in version order.</summary>
    public static IReadOnlyList<MigrationScript> Scripts => EmbeddedScripts.Value;

    /// <summary>Applies the migrations the database does not have yet, in version order.</summary>
    /// <param name="dataSource">The database to migrate.</param>
    /// <param name="logger">Where progress goes; null for none.</param>
    /// <param name="ct">Cancels the work; the migration in progress rolls back.</param>
    /// <returns>How many migrations this call applied (0 when the schema was current).</returns>
    public static async Task<int> ApplyAsync(NpgsqlDataSource dataSource, ILogger? logger, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        var log = logger ?? NullLogger.Instance;
        await using var connection = await dataSource.OpenConnectionAsync(ct);

        HashSet<int> applied;
        await using (var transaction = await connection.BeginTransactionAsync(ct))
        {
            await LockAsync(connection, transaction, ct);
            await using (var bootstrap = new NpgsqlCommand(Bootstrap, connection, transaction))
            {
                await bootstrap.ExecuteNonQueryAsync(ct);
            }

            applied = await AppliedVersionsAsync(connection, transaction, ct);
            await transaction.CommitAsync(ct);
        }

        var count = 0;
        foreach (var script in Scripts.Where(s => !applied.Contains(s.Version)))
        {
            await using var transaction = await connection.BeginTransactionAsync(ct);
            await LockAsync(connection, transaction, ct);
            if ((await AppliedVersionsAsync(connection, transaction, ct)).Contains(script.Version))
            {
                // Another process applied it while this one waited for the lock.
                await transaction.RollbackAsync(ct);
                continue;
            }

            LogApplying(log, script.Version, script.Name);
            await using (var migrate = new NpgsqlCommand(script.Sql, connection, transaction) { CommandTimeout = 0 })
            {
                await migrate.ExecuteNonQueryAsync(ct);
            }

            await using (var record = new NpgsqlCommand(
                "INSERT INTO datahub.schema_version (version, name) VALUES (@version, @name)", connection, transaction))
            {
                record.Parameters.AddWithValue("version", script.Version);
                record.Parameters.AddWithValue("name", script.Name);
                await record.ExecuteNonQueryAsync(ct);
            }

            await transaction.CommitAsync(ct);
            count++;
        }

        var known = Scripts.Count == 0 ? 0 : Scripts[^1].Version;
        var newest = applied.Count == 0 ? 0 : applied.Max();
        if (newest > known)
        {
            LogNewerSchema(log, newest, known);
        }

        LogDone(log, count);
        return count;
    }

    private static async Task LockAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@key)", connection, transaction);
        command.Parameters.AddWithValue("key", AdvisoryLockKey);
        await command.ExecuteNonQueryAsync(ct);
    }

    private static async Task<HashSet<int>> AppliedVersionsAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken ct)
    {
        var versions = new HashSet<int>();
        await using var command = new NpgsqlCommand("SELECT version FROM datahub.schema_version", connection, transaction);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            versions.Add(reader.GetInt32(0));
        }

        return versions;
    }

    private static List<MigrationScript> LoadScripts()
    {
        var assembly = typeof(Migrator).Assembly;
        var scripts = new List<MigrationScript>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            var match = ResourceName().Match(resource);
            if (!match.Success)
            {
                continue;
            }

            using var stream = assembly.GetManifestResourceStream(resource)
                ?? throw new InvalidOperationException($"Embedded migration {resource} cannot be read.");
            using var reader = new StreamReader(stream);
            scripts.Add(new MigrationScript(
                int.Parse(match.Groups["version"].Value, NumberStyles.None, CultureInfo.InvariantCulture),
                match.Groups["name"].Value,
                reader.ReadToEnd()));
        }

        scripts.Sort((a, b) => a.Version.CompareTo(b.Version));
        for (var i = 1; i < scripts.Count; i++)
        {
            if (scripts[i].Version == scripts[i - 1].Version)
            {
                throw new InvalidOperationException(
                    $"Two embedded migrations share version {scripts[i].Version}: {scripts[i - 1].Name} and {scripts[i].Name}.");
            }
        }

        return scripts;
    }

    [GeneratedRegex(@"\.Migrations\.(?<version>\d{4})_(?<name>[A-Za-z0-9_]+)\.sql$")]
    private static partial Regex ResourceName();

    [LoggerMessage(Level = LogLevel.Information, Message = "Applying catalog migration {Version} {Name}")]
    private static partial void LogApplying(ILogger logger, int version, string name);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The catalog schema is at version {Newest}, newer than this build knows ({Known}); continuing")]
    private static partial void LogNewerSchema(ILogger logger, int newest, int known);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Catalog schema current; {Count} migration(s) applied")]
    private static partial void LogDone(ILogger logger, int count);
}
