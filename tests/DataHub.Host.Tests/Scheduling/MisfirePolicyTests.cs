using DataHub.Host.Scheduling;
using Quartz;

namespace DataHub.Host.Tests.Scheduling;

/// <summary>What DataHub's scheduler does with firings missed while no node ran.</summary>
[Collection(SchedulerTestGroup.Name)]
public sealed class MisfirePolicyTests(SchedulerDatabaseFixture database)
{
    [Fact]
    public async Task A_trigger_due_in_the_past_when_the_scheduler_starts_fires_once_not_once_per_missed_slot()
    {
        var connectionString = await database.CreateDatabaseAsync("misfire");
        await using var log = await FiringLog.CreateAsync(connectionString);
        const string job = "daily";
        var triggerKey = new TriggerKey(job, "test");

        // A daily schedule twelve hours away from now, begun ten days ago: ten slots lie in the past.
        var at = DateTime.Now.AddHours(12);
        var startedAt = DateTimeOffset.UtcNow.AddDays(-10);
        void Declare(IQuartzBuilder q)
        {
            var key = new JobKey(job, "test");
            q.AddJob<RecordingJob>(j => j.WithIdentity(key));
            q.AddTrigger(t => t.ForJob(key).WithIdentity(triggerKey).StartAt(startedAt).WithCronSchedule(DataHubScheduling.Cron($"0 {at.Minute} {at.Hour} * * ?")));
        }

        // A node stores the trigger and goes away before it ever fires; then the whole cluster is down for ten days
        // (the stored next firing is set ten days back, as the downtime would have left it).
        await using (await SchedulerNode.CreateAsync(connectionString, log, Declare, start: false))
        {
        }

        await using (var quartzDb = Npgsql.NpgsqlDataSource.Create(connectionString))
        await using (var downtime = quartzDb.CreateCommand(
            "UPDATE quartz.qrtz_triggers SET next_fire_time = @due WHERE trigger_name = @name AND trigger_group = 'test'"))
        {
            var due = DateTime.SpecifyKind(startedAt.UtcDateTime.Date + at.TimeOfDay - (DateTimeOffset.Now.Offset), DateTimeKind.Utc);
            downtime.Parameters.AddWithValue("due", due.Ticks);
            downtime.Parameters.AddWithValue("name", job);
            Assert.Equal(1, await downtime.ExecuteNonQueryAsync());
        }

        // The next node to start declares the trigger again; the stored one is kept as it is: its next firing is ten
        // days overdue when the scheduler starts.
        await using (var restarted = await SchedulerNode.CreateAsync(connectionString, log, Declare, start: false))
        {
            var due = (await restarted.Scheduler.GetTrigger(triggerKey))!.NextFireTimeUtc;
            Assert.NotNull(due);
            Assert.True(due < DateTimeOffset.UtcNow.AddDays(-9), $"the trigger's next firing {due:u} is not in the past");

            await restarted.Scheduler.Start();
            await log.WaitForAsync(job, f => f.Count >= 1, TimeSpan.FromSeconds(90));
            // Time for any further catch-up firing to show (ignoring misfires would fire all ten at once).
            await Task.Delay(TimeSpan.FromSeconds(3));
            Assert.Single(await log.ReadAsync(job));

            var next = (await restarted.Scheduler.GetTrigger(triggerKey))!.NextFireTimeUtc;
            Assert.NotNull(next);
            Assert.True(next > DateTimeOffset.UtcNow, $"after the catch-up firing the trigger is still due at {next:u}");
            var local = TimeZoneInfo.ConvertTime(next.Value, TimeZoneInfo.Local);
            Assert.Equal((at.Hour, at.Minute), (local.Hour, local.Minute));
        }

        // Starting again declares the trigger once more; it carries on from the catch-up firing instead of
        // starting over ten days ago.
        await using (await SchedulerNode.CreateAsync(connectionString, log, Declare))
        {
            await Task.Delay(TimeSpan.FromSeconds(3));
        }

        Assert.Single(await log.ReadAsync(job));
    }

    [Fact]
    public async Task After_downtime_a_trigger_that_fired_before_catches_up_once_then_keeps_its_schedule()
    {
        var connectionString = await database.CreateDatabaseAsync("downtime");
        await using var log = await FiringLog.CreateAsync(connectionString);
        const string job = "every-three-seconds";
        static void Declare(IQuartzBuilder q)
        {
            var key = new JobKey(job, "test");
            q.AddJob<RecordingJob>(j => j.WithIdentity(key));
            q.AddTrigger(t => t.ForJob(key).WithIdentity(job, "test").WithCronSchedule(DataHubScheduling.Cron("0/3 * * * * ?")));
        }

        // DataHub's threshold is a minute; one second lets a few seconds of downtime count as misfires.
        var threshold = TimeSpan.FromSeconds(1);
        var patience = TimeSpan.FromSeconds(90);
        await using (await SchedulerNode.CreateAsync(connectionString, log, Declare, misfireThreshold: threshold))
        {
            await log.WaitForAsync(job, f => f.Count >= 1, patience);
        }

        // Every node down for eight seconds: at least two slots of the schedule pass unserved.
        var lastBefore = (await log.ReadAsync(job)).Max(f => f.Scheduled);
        await Task.Delay(TimeSpan.FromSeconds(8));
        var restart = DateTimeOffset.UtcNow;
        await using (await SchedulerNode.CreateAsync(connectionString, log, Declare, misfireThreshold: threshold))
        {
            await log.WaitForAsync(job, f => f.Any(x => x.Scheduled > restart), patience);
        }

        var firings = await log.ReadAsync(job);
        var missed = Enumerable.Range(1, 10).Select(i => lastBefore.AddSeconds(3 * i)).Count(slot => slot < restart.AddSeconds(-1));
        Assert.True(missed >= 2, $"only {missed} slot(s) were missed");
        var caughtUp = firings.Where(f => f.Scheduled > lastBefore && f.Scheduled < restart).ToList();
        Assert.True(caughtUp.Count == 1, $"{missed} missed slots were fired {caughtUp.Count} time(s) after the restart, not once");
        Assert.True(caughtUp[0].Started >= restart);

        // Then the schedule goes on: its own slots, each once.
        var after = firings.Where(f => f.Scheduled > restart).Select(f => f.Scheduled).ToList();
        Assert.NotEmpty(after);
        Assert.All(after, slot => Assert.Equal(0, slot.Second % 3));
        Assert.Equal(after.Count, after.Distinct().Count());
    }
}
