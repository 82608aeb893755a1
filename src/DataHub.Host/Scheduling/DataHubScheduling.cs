using DataHub.Pipelines.Definitions;
using Quartz;

namespace DataHub.Host.Scheduling;

/// <summary>
/// How every DataHub node builds its Quartz scheduler: one clustered scheduler named <see cref="SchedulerName"/>
/// over the ADO.NET job store on the platform's PostgreSQL, and the jobs and triggers it declares. <c>datahub
/// serve</c>/<c>demo</c> (<see cref="Platform.DataHubServer"/>) and the scheduling tests build their schedulers
/// through the same two methods, so the tests exercise the configuration the nodes run.
/// </summary>
/// <remarks>
/// <para>
/// <b>Cluster.</b> Every node shares the tables under <see cref="TablePrefix"/> and the scheduler name; each node
/// gets a generated instance id (Quartz's <c>AUTO</c>: host name and start time), checks in every
/// <see cref="CheckinInterval"/>, and is written off by the others <see cref="CheckinMisfireThreshold"/> after a
/// missed check-in, when a live node recovers what it held. A firing is claimed in the database under Quartz's
/// row locks, so each scheduled firing runs on exactly one node, and a job marked
/// <see cref="DisallowConcurrentExecutionAttribute"/> (every pipeline, the bulletin) never runs twice at once
/// anywhere in the cluster: its other triggers stay blocked until the running firing completes.
/// </para>
/// <para>
/// <b>Schema.</b> The catalog migration <c>0007_quartz</c> creates the PostgreSQL schema <c>quartz</c>; Quartz
/// creates its own tables in it when a scheduler starts (<see cref="SchemaProvisioning.CreateIfMissing"/>:
/// guarded creates only, safe with several nodes starting at once).
/// </para>
/// <para>
/// <b>Declarations.</b> Each node declares the pipelines' and the bulletin's jobs and triggers when it starts.
/// A declaration replaces what is stored under the same key (a changed cron expression or description takes effect
/// on the next start) and the replacing trigger carries on from the replaced one's last firing, so a node joining
/// a running cluster neither duplicates a trigger nor moves or repeats a firing another node already made.
/// </para>
/// <para>
/// <b>Misfires.</b> A firing that could not start on time (every node down, or the job still running) runs late
/// if it is at most <see cref="MisfireThreshold"/> late. Later than that it has misfired, and DataHub's triggers
/// fire <em>once</em>, as soon as a node can, then follow their schedule again
/// (<see cref="CronTriggerMisfireInstruction.FireAndProceed"/>): a pipeline due daily that was down for a week runs
/// once on restart, not seven times. A trigger that has never fired yet starts over from the restart instead (its
/// replacement has no firing to carry on from), so only its first slot can be lost that way. A firing interrupted by
/// a crash is not re-run (the jobs do not request recovery); the trigger's next firing runs as scheduled.
/// </para>
/// </remarks>
public static class DataHubScheduling
{
    /// <summary>The scheduler name every node of a deployment shares (the <c>sched_name</c> of the Quartz tables).</summary>
    public const string SchedulerName = "DataHub";

    /// <summary>The Quartz tables' prefix: the <c>quartz</c> schema, tables named <c>qrtz_*</c>.</summary>
    public const string TablePrefix = "quartz.qrtz_";

    /// <summary>The job group of the pipelines' jobs and triggers.</summary>
    public const string PipelineGroup = "pipelines";

    /// <summary>How often a node records in the database that it is alive.</summary>
    public static TimeSpan CheckinInterval { get; } = TimeSpan.FromSeconds(5);

    /// <summary>How long after a missed check-in the other nodes treat a node as dead and recover its firings.</summary>
    public static TimeSpan CheckinMisfireThreshold { get; } = TimeSpan.FromSeconds(10);

    /// <summary>How late a firing may start before it counts as misfired and the misfire policy applies instead.</summary>
    public static TimeSpan MisfireThreshold { get; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Configures a scheduler as a DataHub cluster node: the scheduler name, a generated instance id, the clustered
    /// ADO.NET job store on PostgreSQL with its tables provisioned under <see cref="TablePrefix"/>, job data as JSON
    /// (System.Text.Json), the misfire threshold and policy, and declarations that only add what the store lacks
    /// (see <see cref="ReconcileAsync"/> for changed definitions).
    /// </summary>
    /// <param name="quartz">The scheduler being configured (from <c>AddQuartz</c> or <c>QuartzSchedulerBuilder.Create</c>).</param>
    /// <param name="connectionString">An Npgsql connection string for a database the catalog migrations have run on.</param>
    public static void ConfigureNode(IQuartzBuilder quartz, string connectionString) =>
        ConfigureNode(quartz, connectionString, MisfireThreshold);

    /// <summary>
    /// <see cref="ConfigureNode(IQuartzBuilder, string)"/> with another misfire threshold: for tests, which cannot
    /// wait out a real one to see a firing misfire.
    /// </summary>
    internal static void ConfigureNode(IQuartzBuilder quartz, string connectionString, TimeSpan misfireThreshold)
    {
        ArgumentNullException.ThrowIfNull(quartz);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        quartz.ConfigureScheduler(scheduler =>
        {
            scheduler.InstanceName = SchedulerName;
            scheduler.GenerateInstanceId = true;
            scheduler.DefaultMisfireHandling = DefaultMisfireHandling.FireAndProceed;
        });
        quartz.UsePersistentStore(store =>
        {
            store.UsePostgres(connectionString);
            store.UseSystemTextJsonSerializer();
            store.UseClustering(cluster =>
            {
                cluster.CheckinInterval = CheckinInterval;
                cluster.CheckinMisfireThreshold = CheckinMisfireThreshold;
            });
            store.ProvisionSchema();
            store.ConfigureStore(options =>
            {
                options.TablePrefix = TablePrefix;
                options.MisfireThreshold = misfireThreshold;
            });
        });
        // A node joining must not replace the stored job and trigger: replacing a trigger while another node holds its
        // next firing made that firing run twice (seen in ClusteredSchedulerTests). Declarations only add what is
        // missing; ReconcileAsync then changes triggers whose definition changed and removes undefined pipelines.
        quartz.Services.Configure<QuartzOptions>(quartz.SchedulerName, options =>
        {
            options.Scheduling.OverwriteExistingData = false;
            options.Scheduling.IgnoreDuplicates = true;
        });
    }

    /// <summary>
    /// Declares DataHub's jobs: one <see cref="PipelineJob"/> per pipeline with a schedule (job and trigger
    /// <c>{name}</c>/<c>{name}-cron</c> in <see cref="PipelineGroup"/>) the monthly <see cref="BulletinJob"/> and the daily <see cref="EscalationJob"/>.
    /// </summary>
    /// <param name="quartz">The scheduler being configured.</param>
    /// <param name="pipelines">The pipelines defined; those without a schedule are left out.</param>
    public static void DeclareJobs(IQuartzBuilder quartz, IEnumerable<PipelineDefinition> pipelines)
    {
        ArgumentNullException.ThrowIfNull(quartz);
        ArgumentNullException.ThrowIfNull(pipelines);
        foreach (var pipeline in pipelines.Where(p => p.Schedule is not null))
        {
            var key = new JobKey(pipeline.Name, PipelineGroup);
            quartz.AddJob<PipelineJob>(j => j.WithIdentity(key).UsingJobData(PipelineJob.PipelineKey, pipeline.Name).WithDescription(pipeline.Description ?? pipeline.Name));
            quartz.AddTrigger(t => t.ForJob(key).WithIdentity(pipeline.Name + "-cron", PipelineGroup).WithCronSchedule(Cron(pipeline.Schedule!, TimeZoneInfo.FindSystemTimeZoneById(pipeline.TimeZone))));
        }

        quartz.AddJob<BulletinJob>(j => j.WithIdentity(BulletinJob.Key).WithDescription("Monthly quality bulletin (数据质量通报) for the month before"));
        quartz.AddTrigger(t => t.ForJob(BulletinJob.Key).WithIdentity("quality-bulletin-monthly", "quality").WithCronSchedule(Cron(BulletinJob.Schedule, TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai"))));
        quartz.AddJob<EscalationJob>(j => j.WithIdentity(EscalationJob.Key).WithDescription("Escalate overdue exchange requests to the data bureau"));
        quartz.AddTrigger(t => t.ForJob(EscalationJob.Key).WithIdentity("request-escalation-daily", "exchange").WithCronSchedule(Cron(EscalationJob.Schedule, TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai"))));
    }

    /// <summary>
    /// Brings the stored pipeline jobs in line with <c>pipelines/</c> after the scheduler started: a trigger whose cron
    /// expression or time zone changed is rescheduled (only then); a pipeline no longer defined or scheduled loses its
    /// job. Unchanged triggers are left alone, with their firing history.
    /// </summary>
    /// <param name="scheduler">The started scheduler.</param>
    /// <param name="pipelines">The valid pipelines.</param>
    /// <param name="ct">Cancels the reconciliation.</param>
    public static async Task ReconcileAsync(IScheduler scheduler, IEnumerable<PipelineDefinition> pipelines, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(scheduler);
        ArgumentNullException.ThrowIfNull(pipelines);
        var wanted = pipelines.Where(p => p.Schedule is not null).ToDictionary(p => p.Name, StringComparer.Ordinal);
        foreach (var key in await scheduler.GetJobKeys(GroupMatcher<JobKey>.GroupEquals(PipelineGroup), ct))
        {
            if (!wanted.ContainsKey(key.Name))
            {
                await scheduler.DeleteJob(key, ct);
            }
        }

        foreach (var pipeline in wanted.Values)
        {
            var triggerKey = new TriggerKey(pipeline.Name + "-cron", PipelineGroup);
            var zone = TimeZoneInfo.FindSystemTimeZoneById(pipeline.TimeZone);
            if (await scheduler.GetTrigger(triggerKey, ct) is ICronTrigger stored
                && (stored.CronExpressionString != pipeline.Schedule || stored.TimeZone.Id != zone.Id))
            {
                var trigger = TriggerBuilder.Create().ForJob(new JobKey(pipeline.Name, PipelineGroup)).WithIdentity(triggerKey)
                    .WithCronSchedule(Cron(pipeline.Schedule!, zone)).Build();
                await scheduler.RescheduleJob(triggerKey, trigger, ct);
            }
        }
    }

    /// <summary>
    /// A cron schedule (Quartz syntax) in a time zone (pipelines: their <c>time_zone</c>, Asia/Shanghai by default;
    /// whatever the nodes' own zone) with DataHub's misfire policy: a misfired trigger fires once now, then follows
    /// its schedule.
    /// </summary>
    /// <param name="expression">The cron expression, e.g. <c>0 30 2 * * ?</c>.</param>
    /// <param name="zone">The zone the expression's times are in; the node's local zone when null.</param>
    /// <returns>The schedule, for <c>WithCronSchedule</c>.</returns>
    public static CronScheduleBuilder Cron(string expression, TimeZoneInfo? zone = null) =>
        CronScheduleBuilder.Create(expression).InTimeZone(zone ?? TimeZoneInfo.Local).WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed);
}
