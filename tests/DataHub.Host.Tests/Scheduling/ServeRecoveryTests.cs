using System.Diagnostics;
using DataHub.Catalog.Postgres;
using DataHub.Host.Cli;
using DataHub.Host.Platform;
using Npgsql;
using Xunit.Abstractions;

namespace DataHub.Host.Tests.Scheduling;

/// <summary><c>datahub serve</c> started again after a previous <c>serve</c> on the same cluster was killed.</summary>
public sealed class ServeRecoveryTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _home = Directory.CreateTempSubdirectory("datahub-serve-").FullName;

    public void Dispose() => Directory.Delete(_home, recursive: true);

    [Fact]
    public async Task Serve_starts_over_the_stale_scheduler_state_of_a_killed_serve_and_recovers_its_node()
    {
        // The test owns the private cluster, so it is stopped at the end although both serves only reuse it.
        await using var postgres = await PrivatePostgres.StartAsync(Path.Combine(_home, "pg"));
        await using var dataSource = NpgsqlDataSource.Create(postgres.ConnectionString);

        // A first serve, in a process of its own, starts its scheduler node and is killed (no clean shutdown).
        var killed = await StartServeProcessAsync();
        string deadNode;
        try
        {
            var nodes = await WaitForNodesAsync(dataSource, n => n.Count == 1);
            Assert.Single(nodes);
            deadNode = nodes[0];
        }
        finally
        {
            killed.Kill();
            await killed.WaitForExitAsync();
            killed.Dispose();
        }

        Assert.Equal([deadNode], await NodesAsync(dataSource));

        // A second serve starts over the dead node's state, serves, and takes the dead node out of the cluster.
        var served = new SignallingWriter("DataHub is serving on ");
        using var stop = new CancellationTokenSource();
        var serve = Task.Run(() => DataHubCli.RunAsync(["serve", "--home", _home, "--urls", "http://127.0.0.1:0"], served, stop.Token));
        var first = await Task.WhenAny(served.Signalled, serve, Task.Delay(TimeSpan.FromMinutes(2)));
        Assert.True(first == served.Signalled, "serve did not start serving:\n" + served);
        var address = System.Text.RegularExpressions.Regex.Match(served.ToString(), @"serving on (http://[^ ,]+)").Groups[1].Value;
        using (var http = new HttpClient { BaseAddress = new Uri(address) })
        {
            Assert.Contains("\"ok\"", await http.GetStringAsync(new Uri("/health", UriKind.Relative)), StringComparison.Ordinal);
        }

        var live = await WaitForNodesAsync(dataSource, n => n.Count == 1 && n[0] != deadNode);
        Assert.Single(live);
        Assert.NotEqual(deadNode, live[0]);
        output.WriteLine($"killed node {deadNode} recovered by {live[0]}");

        // The declarations of both starts left one of each trigger, ready to fire.
        await using (var triggers = dataSource.CreateCommand(
            "SELECT trigger_name, trigger_state FROM quartz.qrtz_triggers WHERE trigger_group IN ('pipelines', 'quality') ORDER BY trigger_name"))
        await using (var reader = await triggers.ExecuteReaderAsync())
        {
            var rows = new List<(string, string)>();
            while (await reader.ReadAsync())
            {
                rows.Add((reader.GetString(0), reader.GetString(1)));
            }

            // One waiting trigger per scheduled pipeline of pipelines/ and the bulletin's: none duplicated by the restart.
            var expected = DataHub.Pipelines.Definitions.PipelineLoader.LoadDirectory(Path.Combine(DataHub.Host.Platform.DataHubSettings.FindRoot(), "pipelines"))
                .Where(p => p.Schedule is not null).Select(p => p.Name + "-cron").Append("quality-bulletin-monthly")
                .Order(StringComparer.Ordinal).ToList();
            Assert.Equal(12, expected.Count(t => t.EndsWith("-cron", StringComparison.Ordinal)));
            // A trigger whose fire time is due while the test runs (04:00 Shanghai is 20:00 UTC for the address pipeline)
            // is taken by the live scheduler: ACQUIRED, then EXECUTING/BLOCKED while its run goes. Still one of it.
            string[] ready = ["WAITING", "ACQUIRED", "EXECUTING", "BLOCKED"];
            Assert.Equal(expected, rows.Select(r => r.Item1));
            Assert.All(rows, r => Assert.Contains(r.Item2, ready));
            Assert.True(rows.Count(r => r.Item2 == "WAITING") >= rows.Count - 1, "more than one trigger away from WAITING: " + string.Join(", ", rows));
        }

        await stop.CancelAsync();
        Assert.Equal(0, await serve.WaitAsync(TimeSpan.FromMinutes(1)));
    }

    private async Task<Process> StartServeProcessAsync()
    {
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        var start = new ProcessStartInfo(dotnet)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "datahub.dll"), "serve", "--home", _home, "--urls", "http://127.0.0.1:0" })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DATAHUB_ROOT"] = DataHubSettings.FindRoot();
        start.Environment.Remove("DATAHUB_PG");
        start.Environment.Remove("DATAHUB_HOME");
        var serving = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var lines = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
            {
                lines.Enqueue(line);
                if (line.Contains("DataHub is serving on ", StringComparison.Ordinal))
                {
                    serving.TrySetResult();
                }
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
            {
                lines.Enqueue(line);
            }
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var first = await Task.WhenAny(serving.Task, process.WaitForExitAsync(), Task.Delay(TimeSpan.FromMinutes(2)));
        if (first != serving.Task)
        {
            if (!process.HasExited)
            {
                process.Kill();
            }

            Assert.Fail("the serve process did not start serving:\n" + string.Join('\n', lines));
        }

        return process;
    }

    private static async Task<List<string>> NodesAsync(NpgsqlDataSource dataSource)
    {
        var nodes = new List<string>();
        await using var select = dataSource.CreateCommand("SELECT instance_name FROM quartz.qrtz_scheduler_state WHERE sched_name = $1 ORDER BY instance_name");
        select.Parameters.Add(new NpgsqlParameter { Value = DataHub.Host.Scheduling.DataHubScheduling.SchedulerName });
        await using var reader = await select.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            nodes.Add(reader.GetString(0));
        }

        return nodes;
    }

    /// <summary>Polls the cluster's node list until the condition holds or two minutes pass (the caller asserts).</summary>
    private static async Task<List<string>> WaitForNodesAsync(NpgsqlDataSource dataSource, Func<List<string>, bool> condition)
    {
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (true)
        {
            List<string> nodes = [];
            try
            {
                nodes = await NodesAsync(dataSource);
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
            {
                // Quartz has not created its tables yet.
            }

            if (condition(nodes) || DateTime.UtcNow > deadline)
            {
                return nodes;
            }

            await Task.Delay(250);
        }
    }
}
