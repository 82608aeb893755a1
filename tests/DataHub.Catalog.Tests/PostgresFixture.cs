using System.Collections.Concurrent;
using DataHub.Catalog.Postgres;
using Npgsql;

namespace DataHub.Catalog.Tests;

/// <summary>
/// One private PostgreSQL cluster for the whole test run, in a temporary directory, with fresh databases
/// handed out per test class (or per test where a test needs an empty one).
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private readonly ConcurrentDictionary<string, Lazy<Task<NpgsqlDataSource>>> classDatabases = new(StringComparer.Ordinal);
    private readonly ConcurrentBag<NpgsqlDataSource> dataSources = [];
    private int databaseCounter;

    public string Root { get; } = TestDirectories.Create("fixture");

    public PrivatePostgres Server { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Server = await PrivatePostgres.StartAsync(Path.Combine(Root, "pg"), TestDirectories.FastOptions);

    public async Task DisposeAsync()
    {
        foreach (var dataSource in dataSources)
        {
            await dataSource.DisposeAsync();
        }

        await Server.DisposeAsync();
        TestDirectories.Delete(Root);
    }

    /// <summary>Creates an empty database with a unique name.</summary>
    public async Task<NpgsqlDataSource> CreateDatabaseAsync(string prefix)
    {
        var name = $"{prefix.ToLowerInvariant()}_{Interlocked.Increment(ref databaseCounter)}";
        await using (var admin = new NpgsqlConnection(Server.ConnectionString))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", admin);
            await create.ExecuteNonQueryAsync();
        }

        var dataSource = NpgsqlDataSource.Create(Server.ConnectionStringFor(name));
        dataSources.Add(dataSource);
        return dataSource;
    }

    /// <summary>Creates a database with the catalog schema migrated.</summary>
    public async Task<NpgsqlDataSource> CreateMigratedDatabaseAsync(string prefix)
    {
        var dataSource = await CreateDatabaseAsync(prefix);
        await Migrator.ApplyAsync(dataSource, null, CancellationToken.None);
        return dataSource;
    }

    /// <summary>The migrated database shared by the tests of one class, created on first use.</summary>
    public Task<NpgsqlDataSource> ClassDatabaseAsync(Type testClass) =>
        classDatabases.GetOrAdd(
            testClass.Name,
            name => new Lazy<Task<NpgsqlDataSource>>(() => CreateMigratedDatabaseAsync(name))).Value;
}
