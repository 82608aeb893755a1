using System.Diagnostics;
using DataHub.DuckDb;

namespace DataHub.DuckDb.Tests;

public sealed class CancellationTests
{
    // A query that takes many seconds on two cores unless interrupted.
    private const string SlowQuery = "SELECT count(*) FROM range(3000000000) a(i) WHERE (i * 7919) % 1000003 = 17";

    [Fact]
    public void Cancel_from_another_thread_interrupts_a_running_query()
    {
        using var connection = new DuckDbConnection();
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = SlowQuery;
        var stopwatch = Stopwatch.StartNew();
        using var timer = new Timer(_ => command.Cancel(), null, 300, Timeout.Infinite);
        var error = Assert.Throws<DuckDbException>(() => command.ExecuteScalar());
        Assert.True(error.IsInterrupted, error.Message);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(30));
        using var after = connection.CreateCommand();
        after.CommandText = "SELECT 7";
        Assert.Equal(7, after.ExecuteScalar());
    }

    [Fact]
    public async Task A_cancellation_token_stops_an_async_query()
    {
        using var connection = new DuckDbConnection();
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = SlowQuery;
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => command.ExecuteScalarAsync(cts.Token));
    }

    [Fact]
    public void Progress_is_readable_while_a_query_runs()
    {
        using var connection = new DuckDbConnection();
        connection.Open();
        connection.Execute("CREATE TABLE big AS SELECT i, i % 97 AS g FROM range(20000000) r(i)");
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT g, count(*), sum(i), median(i) FROM big GROUP BY g ORDER BY g";
        var seen = new List<double>();
        using var done = new ManualResetEventSlim();
        var watcher = new Thread(() =>
        {
            while (!done.IsSet)
            {
                var progress = connection.GetQueryProgress();
                if (progress.Percentage >= 0)
                {
                    lock (seen)
                    {
                        seen.Add(progress.Percentage);
                    }
                }

                Thread.Sleep(5);
            }
        });
        watcher.Start();
        using (var reader = command.ExecuteReader())
        {
            var groups = 0;
            while (reader.Read())
            {
                groups++;
            }

            Assert.Equal(97, groups);
        }

        done.Set();
        watcher.Join();
        Assert.NotEmpty(seen);
        Assert.All(seen, p => Assert.InRange(p, 0, 100));
    }

    [Fact]
    public void A_command_timeout_interrupts()
    {
        using var connection = new DuckDbConnection();
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = SlowQuery;
        command.CommandTimeout = 1;
        var error = Assert.Throws<DuckDbException>(() => command.ExecuteScalar());
        Assert.True(error.IsInterrupted);
    }
}
