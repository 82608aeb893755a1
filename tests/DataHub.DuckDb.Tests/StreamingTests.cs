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
