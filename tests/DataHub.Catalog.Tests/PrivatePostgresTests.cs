using System.Globalization;
using DataHub.Catalog.Postgres;
using Npgsql;

namespace DataHub.Catalog.Tests;

/// <summary>Each test runs its own cluster directory, apart from the shared fixture cluster.</summary>
public sealed class PrivatePostgresTests : IDisposable
{
    private readonly string root = TestDirectories.Create("lifecycle");

    public void Dispose() => TestDirectories.Delete(root);

    [Fact]
    public async Task Starts_reuses_stops_and_restarts_a_cluster()
    {
        // A parent only its owner may enter: when running as root the server account needs o+x on it.
        var privateParent = Path.Combine(root, "private");
        Directory.CreateDirectory(privateParent);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(privateParent, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var directory = Path.Combine(privateParent, "pg");
        var owner = await PrivatePostgres.StartAsync(directory, TestDirectories.FastOptions);
        try
        {
            Assert.True(owner.StartedByThisProcess);
            Assert.Equal(directory, owner.ClusterDirectory);
            Assert.True(File.Exists(Path.Combine(directory, "PG_VERSION")));
            Assert.Equal(owner.Port.ToString(CultureInfo.InvariantCulture), File.ReadAllText(Path.Combine(directory, "datahub.port")).Trim());
            var builder = new NpgsqlConnectionStringBuilder(owner.ConnectionString);
            Assert.Equal("127.0.0.1", builder.Host);
            Assert.Equal(owner.Port, builder.Port);

            await using (var connection = new NpgsqlConnection(owner.ConnectionString))
            {
                await connection.OpenAsync();
                Assert.Equal("datahub", await Scalar<string>(connection, "SELECT current_user"));
                Assert.Equal("datahub", await Scalar<string>(connection, "SELECT current_database()"));
                Assert.Equal("UTF8", await Scalar<string>(connection, "SHOW server_encoding"));
                Assert.Equal("127.0.0.1", await Scalar<string>(connection, "SHOW listen_addresses"));
                await Scalar<int>(connection, "CREATE TABLE kept (v text); INSERT INTO kept VALUES ('水务'); SELECT 1");
            }

            if (Environment.UserName == "root" && !OperatingSystem.IsWindows())
            {
                Assert.True(File.GetUnixFileMode(privateParent).HasFlag(UnixFileMode.OtherExecute));
            }

            // A second start on the running cluster connects to it and leaves it running when disposed.
            var second = await PrivatePostgres.StartAsync(directory, TestDirectories.FastOptions);
            Assert.False(second.StartedByThisProcess);
            Assert.Equal(owner.Port, second.Port);
            Assert.Equal(owner.ConnectionString, second.ConnectionString);
            await second.DisposeAsync();
            second.Dispose();
            Assert.Equal("水务", await QueryAsync<string>(owner.ConnectionString, "SELECT v FROM kept"));
        }
        finally
        {
            await owner.DisposeAsync();
        }

        // The owner's dispose stopped it.
        Assert.False(File.Exists(Path.Combine(directory, "postmaster.pid")));
        await Assert.ThrowsAnyAsync<NpgsqlException>(() => QueryAsync<int>(owner.ConnectionString + ";Pooling=false;Timeout=2", "SELECT 1"));
        NpgsqlConnection.ClearAllPools();

        // Restart: no second initdb, the data is still there, and the synchronous Dispose stops it too.
        var restarted = await PrivatePostgres.StartAsync(directory, TestDirectories.FastOptions);
        try
        {
            Assert.True(restarted.StartedByThisProcess);
            Assert.Equal("水务", await QueryAsync<string>(restarted.ConnectionString, "SELECT v FROM kept"));
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            restarted.Dispose();
        }

        Assert.False(File.Exists(Path.Combine(directory, "postmaster.pid")));
        await restarted.StopAsync(); // idempotent
    }

    [Fact]
    public async Task Concurrent_starts_on_a_fresh_directory_start_exactly_one_server()
    {
        var directory = Path.Combine(root, "pg");
        var instances = await Task.WhenAll(
            Enumerable.Range(0, 3).Select(_ => Task.Run(() => PrivatePostgres.StartAsync(directory, TestDirectories.FastOptions))));
        try
        {
            Assert.Single(instances, i => i.StartedByThisProcess);
            Assert.Single(instances.Select(i => i.Port).Distinct());
            foreach (var instance in instances)
            {
                Assert.Equal(1, await QueryAsync<int>(instance.ConnectionString, "SELECT 1"));
            }
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            foreach (var instance in instances.OrderBy(i => i.StartedByThisProcess))
            {
                await instance.DisposeAsync();
            }
        }

        Assert.False(File.Exists(Path.Combine(directory, "postmaster.pid")));
    }

    [Fact]
    public async Task Missing_binaries_name_the_package_and_the_variables()
    {
        var emptyBin = Path.Combine(root, "empty-bin");
        Directory.CreateDirectory(emptyBin);
        var directory = Path.Combine(root, "pg");

        var error = await Assert.ThrowsAsync<PrivatePostgresException>(
            () => PrivatePostgres.StartAsync(directory, new PrivatePostgresOptions { BinDirectory = emptyBin }));

        Assert.Contains("apt-get install postgresql", error.Message, StringComparison.Ordinal);
        Assert.Contains("DATAHUB_PG_BIN", error.Message, StringComparison.Ordinal);
        Assert.Contains("DATAHUB_PG ", error.Message, StringComparison.Ordinal);
        Assert.Contains(emptyBin, error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(directory));
    }

    [Fact]
    public async Task A_server_that_fails_to_start_is_reported_with_its_log()
    {
        var directory = Path.Combine(root, "pg");
        var options = new PrivatePostgresOptions
        {
            Ephemeral = true,
            StartTimeout = TimeSpan.FromSeconds(20),
            Settings = new Dictionary<string, string> { ["shared_buffers"] = "lots" },
        };

        var error = await Assert.ThrowsAsync<PrivatePostgresException>(() => PrivatePostgres.StartAsync(directory, options));

        Assert.Contains("pg_ctl", error.Message, StringComparison.Ordinal);
        Assert.Contains("Server log", error.Message, StringComparison.Ordinal);
        Assert.Contains("shared_buffers", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(directory, "postmaster.pid")));
    }

    private static async Task<T> QueryAsync<T>(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        return await Scalar<T>(connection, sql);
    }

    private static async Task<T> Scalar<T>(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
