using DataHub.DuckDb;

namespace DataHub.DuckDb.Tests;

public sealed class ConcurrencyTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("datahub-duckdb-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Connections_on_one_file_share_one_database_across_threads()
    {
        var connectionString = $"Data Source={Path.Combine(_directory, "shared.duckdb")};Threads=2";
        using (var setup = new DuckDbConnection(connectionString))
        {
            setup.Open();
            setup.Execute("CREATE TABLE hits(worker INTEGER, n INTEGER)");
        }

        const int workers = 8;
        const int perWorker = 200;
        Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, worker =>
        {
            using var connection = new DuckDbConnection(connectionString);
            connection.Open();
            using var insert = connection.CreateCommand();
            insert.CommandText = "INSERT INTO hits VALUES ($w, $n)";
            var w = insert.Parameters.Add("w", worker);
            var n = insert.Parameters.Add("n", 0);
            for (var i = 0; i < perWorker; i++)
            {
                n.Value = i;
                insert.ExecuteNonQuery();
                using var read = connection.CreateCommand();
                read.CommandText = "SELECT count(*) FROM hits WHERE worker = $w";
                read.Parameters.Add("w", worker);
                Assert.Equal((long)i + 1, read.ExecuteScalar());
            }

            Assert.Equal(worker, w.Value);
        });

        using var check = new DuckDbConnection(connectionString);
        check.Open();
        using var count = check.CreateCommand();
        count.CommandText = "SELECT count(*), count(DISTINCT worker) FROM hits";
        using var reader = count.ExecuteReader();
        Assert.True(reader.Read());
        Assert.Equal(workers * perWorker, reader.GetInt64(0));
        Assert.Equal(workers, reader.GetInt64(1));
    }

    [Fact]
    public void The_file_is_released_when_the_last_connection_closes()
    {
        var path = Path.Combine(_directory, "release.duckdb");
        var connectionString = $"Data Source={path}";
        var first = new DuckDbConnection(connectionString);
        var second = new DuckDbConnection(connectionString);
        first.Open();
        second.Open();
        first.Execute("CREATE TABLE t AS SELECT 42 AS v");
        using (var command = second.CreateCommand())
        {
            command.CommandText = "SELECT v FROM t";
            Assert.Equal(42, command.ExecuteScalar());
        }

        first.Dispose();
        second.Dispose();
        // A fresh open after all closed re-reads the file from disk.
        using var third = new DuckDbConnection(connectionString);
        third.Open();
        using var again = third.CreateCommand();
        again.CommandText = "SELECT v FROM t";
        Assert.Equal(42, again.ExecuteScalar());
    }
}
