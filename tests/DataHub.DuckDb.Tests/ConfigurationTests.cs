using DataHub.DuckDb;

namespace DataHub.DuckDb.Tests;

public sealed class ConfigurationTests : IDisposable
{
    private readonly string _temp = Directory.CreateTempSubdirectory("datahub-duck-temp-").FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    [Fact]
    public void Threads_memory_limit_and_temp_directory_reach_duckdb()
    {
        var builder = new DuckDbConnectionStringBuilder
        {
            DataSource = ":memory:configured",
            Threads = 1,
            MemoryLimit = "256MB",
            TempDirectory = _temp,
        };
        using var connection = new DuckDbConnection(builder.ConnectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT current_setting('threads'), current_setting('memory_limit'), current_setting('temp_directory')";
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());
        Assert.Equal(1L, reader.GetInt64(0));
        Assert.Contains("MiB", reader.GetString(1), StringComparison.Ordinal);
        Assert.Equal(_temp, reader.GetString(2));
    }

    [Fact]
    public void An_unknown_setting_is_refused_by_name()
    {
        using var connection = new DuckDbConnection("Data Source=:memory:;No Such Setting=1");
        var error = Assert.Throws<DuckDbException>(connection.Open);
        Assert.Contains("no_such_setting", error.Message, StringComparison.Ordinal);
        Assert.Contains(error.ErrorType, new[] { DuckDbErrorType.InvalidConfiguration, DuckDbErrorType.InvalidInput });
    }

    [Fact]
    public void A_query_over_the_memory_limit_spills_to_the_temp_directory_instead_of_failing()
    {
        using var connection = new DuckDbConnection($"Data Source=:memory:;Threads=1;Memory Limit=64MB;Temp Directory={_temp}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM (SELECT i, 'padding-' || i AS s FROM range(3000000) r(i) ORDER BY s DESC)";
        Assert.Equal(3_000_000L, command.ExecuteScalar());
    }
}

public sealed class ProviderFactoryTests
{
    [Fact]
    public void Generic_adonet_code_runs_through_the_factory()
    {
        System.Data.Common.DbProviderFactory factory = DuckDbProviderFactory.Instance;
        using var connection = factory.CreateConnection()!;
        connection.ConnectionString = "Data Source=:memory:";
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT $x * 2";
        var parameter = command.CreateParameter();
        parameter.ParameterName = "x";
        parameter.Value = 21;
        command.Parameters.Add(parameter);
        Assert.Equal(42, command.ExecuteScalar());
    }
}
