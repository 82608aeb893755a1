using DataHub.Host.Scheduling;
using DataHub.Pipelines.Definitions;
using Quartz;

namespace DataHub.Host.Tests.Scheduling;

/// <summary>Stored pipeline triggers follow pipelines/ without being replaced when nothing changed.</summary>
[Collection(SchedulerTestGroup.Name)]
public sealed class TriggerReconcileTests(SchedulerDatabaseFixture database)
{
    private static PipelineDefinition Pipeline(string name, string cron) => new()
    {
        Name = name, Department = "water", Target = "water.meter_reading_daily", Schedule = cron, Source = new SourceDefinition { Path = "samples/water" },
    };

    [Fact]
    public async Task A_changed_schedule_is_rescheduled_an_unchanged_one_kept_and_a_removed_pipeline_unscheduled()
    {
        var connectionString = await database.CreateDatabaseAsync("reconcile");
        await using var log = await FiringLog.CreateAsync(connectionString);
        PipelineDefinition[] before = [Pipeline("kept", "0 30 2 * * ?"), Pipeline("changed", "0 0 3 * * ?"), Pipeline("removed", "0 0 4 * * ?")];
        // Declared as DeclareJobs declares pipelines (job {name}, trigger {name}-cron in the pipelines group), with the
        // recording job standing in for PipelineJob.
        void Declare(IQuartzBuilder q)
        {
            foreach (var p in before)
            {
                var key = new JobKey(p.Name, DataHubScheduling.PipelineGroup);
                q.AddJob<RecordingJob>(j => j.WithIdentity(key));
                q.AddTrigger(t => t.ForJob(key).WithIdentity(p.Name + "-cron", DataHubScheduling.PipelineGroup)
                    .WithCronSchedule(DataHubScheduling.Cron(p.Schedule!, TimeZoneInfo.FindSystemTimeZoneById(p.TimeZone))));
            }
        }

        await using var node = await SchedulerNode.CreateAsync(connectionString, log, Declare, start: false);
        var scheduler = node.Scheduler;
        var kept = await scheduler.GetTrigger(new TriggerKey("kept-cron", DataHubScheduling.PipelineGroup));
        Assert.NotNull(kept);

        await DataHubScheduling.ReconcileAsync(scheduler, [Pipeline("kept", "0 30 2 * * ?"), Pipeline("changed", "0 15 5 * * ?")], CancellationToken.None);

        var changed = (ICronTrigger)(await scheduler.GetTrigger(new TriggerKey("changed-cron", DataHubScheduling.PipelineGroup)))!;
        Assert.Equal("0 15 5 * * ?", changed.CronExpressionString);
        Assert.Equal("Asia/Shanghai", changed.TimeZone.Id);
        Assert.Null(await scheduler.GetJobDetail(new JobKey("removed", DataHubScheduling.PipelineGroup)));
        Assert.Null(await scheduler.GetTrigger(new TriggerKey("removed-cron", DataHubScheduling.PipelineGroup)));
        var stillKept = await scheduler.GetTrigger(new TriggerKey("kept-cron", DataHubScheduling.PipelineGroup));
        Assert.Equal(kept!.StartTimeUtc, stillKept!.StartTimeUtc); // untouched, not replaced
    }
}
