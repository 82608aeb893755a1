using DataHub.DuckDb;

namespace DataHub.DuckDb.Tests;

public sealed class StreamingTests
{
    [Fact]
    public void A_result_can_be_abandoned_half_read_and_the_connection_reused()
    {
        using var connection = new DuckDbConnection();
        connection.Open();
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT * FROM range(1000000)";
            using var reader = command.ExecuteReader();
            for (var i = 0; i < 5000; i++)
            {
                Assert.True(reader.Read());
            }

            using var second = connection.CreateCommand();
            second.CommandText = "SELECT 1";
            Assert.Throws<InvalidOperationException>(() => second.ExecuteScalar());
        }

        using var again = connection.CreateCommand();
        again.CommandText = "SELECT 2";
        Assert.Equal(2, again.ExecuteScalar());
    }

    [Fact]
    public void Several_statements_give_several_results()
    {
        using var connection = new DuckDbConnection();
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "CREATE TABLE t AS SELECT 1 AS a; SELECT a + 1 FROM t; SELECT 'z'";
        using var reader = command.ExecuteReader();
        Assert.True(reader.NextResult());
        Assert.True(reader.Read());
        Assert.Equal(2, reader.GetInt32(0));
        Assert.True(reader.NextResult());
        Assert.True(reader.Read());
        Assert.Equal("z", reader.GetString(0));
        Assert.False(reader.NextResult());
    }
}

public sealed class StatementAndTransactionTests : IDisposable
{
    private readonly DuckDbConnection _connection = new();

    public StatementAndTransactionTests() => _connection.Open();

    public void Dispose() => _connection.Dispose();

    [Fact]
    public void Statements_after_the_first_run_even_when_the_reader_is_closed_early()
    {
        _connection.Execute("CREATE TABLE log(v INTEGER)");
        using (var command = _connection.CreateCommand())
        {
            command.CommandText = "INSERT INTO log VALUES (1); INSERT INTO log VALUES (2); INSERT INTO log VALUES (3)";
            Assert.NotNull(command.ExecuteScalar());
        }

        Assert.Equal(6L, Scalar("SELECT sum(v) FROM log"));
    }

    [Fact]
    public void A_failing_statement_stops_the_ones_after_it()
    {
        _connection.Execute("CREATE TABLE once(v INTEGER)");
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT * FROM missing_table; INSERT INTO once VALUES (1)";
        Assert.Throws<DuckDbException>(() => command.ExecuteReader());
        Assert.Equal(0L, Scalar("SELECT count(*) FROM once"));
    }

    [Fact]
    public void Rollback_discards_and_commit_keeps()
    {
        _connection.Execute("CREATE TABLE tx(v INTEGER)");
        using (var transaction = _connection.BeginTransaction())
        {
            _connection.Execute("INSERT INTO tx VALUES (1)");
            transaction.Rollback();
        }

        using (var transaction = _connection.BeginTransaction())
        {
            _connection.Execute("INSERT INTO tx VALUES (2)");
            transaction.Commit();
        }

        using (_connection.BeginTransaction())
        {
            // Disposed without commit: rolled back.
            _connection.Execute("INSERT INTO tx VALUES (4)");
        }

        Assert.Equal(2L, Scalar("SELECT sum(v) FROM tx"));
    }

    [Fact]
    public void Time_ns_reads_as_a_time()
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT TIME_NS '12:34:56.123456789'";
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());
        Assert.Equal(new TimeOnly(12, 34, 56).Add(TimeSpan.FromTicks(1234567)), reader.GetValue(0));
        Assert.Equal("12:34:56.1234567", reader.GetString(0));
    }

    private long Scalar(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());
        return reader.GetInt64(0);
    }
}

public sealed class HalfReadResultTests
{
    [Theory]
    [InlineData("SELECT 1")]
    [InlineData("SELECT * FROM range(1000000)")]
    public void A_half_read_select_does_not_swallow_the_next_catalog_change(string sql)
    {
        using var connection = new DuckDbConnection();
        connection.Open();
        using (var command = connection.CreateCommand())
        {
            command.CommandText = sql;
            Assert.NotNull(command.ExecuteScalar());
        }

        connection.RegisterScalarFunction(DuckDbScalarFunction.Create("after_read", (long x) => x + 1));
        using var call = connection.CreateCommand();
        call.CommandText = "SELECT after_read(41)";
        Assert.Equal(42L, call.ExecuteScalar());
        call.CommandText = "SELECT count(*) FROM duckdb_functions() WHERE function_name = 'after_read'";
        Assert.Equal(1L, call.ExecuteScalar());
    }

    [Fact]
    public void A_half_read_insert_returning_still_commits_every_row()
    {
        using var connection = new DuckDbConnection();
        connection.Open();
        connection.Execute("CREATE TABLE t(v INTEGER)");
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "INSERT INTO t SELECT * FROM range(5000) RETURNING v";
            Assert.Equal(0, command.ExecuteScalar());
        }

        using var count = connection.CreateCommand();
        count.CommandText = "SELECT count(*) FROM t";
        Assert.Equal(5000L, count.ExecuteScalar());
    }
}
