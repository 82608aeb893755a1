using DataHub.Host.Scheduling;
using Quartz;
using Xunit.Abstractions;

namespace DataHub.Host.Tests.Scheduling;

/// <summary>Two scheduler nodes, built as <c>datahub serve</c> builds its scheduler, on one PostgreSQL database.</summary>
[Collection(SchedulerTestGroup.Name)]
public sealed class ClusteredSchedulerTests(SchedulerDatabaseFixture database, ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Two_nodes_run_every_scheduled_firing_exactly_once_through_joins_and_leaves()
    {
        var connectionString = await database.CreateDatabaseAsync("exactly_once");
        await using var log = await FiringLog.CreateAsync(connectionString);
        const string job = "every-second";
        static void Declare(IQuartzBuilder q)
        {
            var key = new JobKey(job, "test");
            q.AddJob<RecordingJob>(j => j.WithIdentity(key));
            q.AddTrigger(t => t.ForJob(key).WithIdentity(job, "test").WithCronSchedule(DataHubScheduling.Cron("* * * * * ?")));
        }

        // The first node runs alone, then the second joins (declaring the same job and trigger again), then the
        // first leaves and the second runs alone.
        await using var first = await SchedulerNode.CreateAsync(connectionString, log, Declare);
        await log.WaitForAsync(job, f => f.Count >= 2, Patience);
        await using var second = await SchedulerNode.CreateAsync(connectionString, log, Declare);
        Assert.NotEqual(first.InstanceId, second.InstanceId);
        Assert.Equal(DataHubScheduling.SchedulerName, second.Scheduler.SchedulerName);
        await Task.Delay(TimeSpan.FromSeconds(3));
        await first.StopAsync();
        var firstLeft = DateTimeOffset.UtcNow;
        await log.WaitForAsync(job, f => f.Count(x => x.Node == second.InstanceId && x.Scheduled > firstLeft.AddSeconds(1)) >= 2, Patience);
        await second.StopAsync();

        var firings = await log.ReadAsync(job);
        foreach (var group in firings.GroupBy(f => f.Node))
        {
            output.WriteLine($"{group.Key}: {group.Count()} firing(s)");
        }

        Assert.True(firings.Count >= 5, $"only {firings.Count} firing(s) recorded");
        Assert.Contains(firings, f => f.Node == first.InstanceId);
        Assert.Contains(firings, f => f.Node == second.InstanceId);
        var slots = firings.Select(f => f.Scheduled).Order().ToList();
        var duplicated = slots.GroupBy(s => s).Where(g => g.Count() > 1).Select(g => $"{g.Key:HH:mm:ss} ×{g.Count()}").ToList();
        Assert.True(duplicated.Count == 0, "firings executed more than once: " + string.Join(", ", duplicated));
        var expected = Enumerable.Range(0, slots.Count).Select(i => slots[0].AddSeconds(i)).ToList();
        var missing = expected.Except(slots).Select(s => s.ToString("HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.True(expected.SequenceEqual(slots), "scheduled firings missing between the first and the last: " + string.Join(", ", missing));
    }

    [Fact]
    public async Task A_job_that_disallows_concurrent_execution_never_overlaps_itself_across_the_nodes()
    {
        var connectionString = await database.CreateDatabaseAsync("nonconcurrent");
        await using var log = await FiringLog.CreateAsync(connectionString);
        const string job = "slow";
        static void Declare(IQuartzBuilder q)
        {
            var key = new JobKey(job, "test");
            q.AddJob<SlowNonConcurrentJob>(j => j.WithIdentity(key));
            q.AddTrigger(t => t.ForJob(key).WithIdentity(job, "test").WithCronSchedule(DataHubScheduling.Cron("* * * * * ?")));
        }

        // Both nodes compete for a trigger due every second whose job takes 2.5 s. Once the job has run a few
        // times, the node that ran it last leaves (letting its run finish), so the other one has to take over.
        await using var first = await SchedulerNode.CreateAsync(connectionString, log, Declare);
        await using var second = await SchedulerNode.CreateAsync(connectionString, log, Declare);
        var before = await log.WaitForAsync(job, f => f.Count >= 3, Patience);
        Assert.True(before.Count >= 3, $"only {before.Count} execution(s) recorded");
        var (leaving, staying) = before[^1].Node == first.InstanceId ? (first, second) : (second, first);
        await leaving.StopAsync();
        await log.WaitForAsync(job, f => f.Any(x => x.Node == staying.InstanceId), Patience);
        await staying.StopAsync();

        var firings = await log.ReadAsync(job);
        foreach (var f in firings)
        {
            output.WriteLine($"{f.Node} scheduled {f.Scheduled:HH:mm:ss} ran {f.Started:HH:mm:ss.fff}–{f.Ended:HH:mm:ss.fff}");
        }

        Assert.True(firings.Count >= 3, $"only {firings.Count} execution(s) recorded");
        Assert.Equal(2, firings.Select(f => f.Node).Distinct().Count());
        for (var i = 1; i < firings.Count; i++)
        {
            Assert.True(
                firings[i].Started >= firings[i - 1].Ended,
                $"the run on {firings[i].Node} started at {firings[i].Started:HH:mm:ss.fff} while the run on {firings[i - 1].Node} went on until {firings[i - 1].Ended:HH:mm:ss.fff}");
        }
    }
}
