using Quartz;

namespace DataHub.Host.Scheduling;

/// <summary>The Quartz job that runs one pipeline; its name travels in the job data under <see cref="PipelineKey"/>.</summary>
/// <remarks>
/// <see cref="DisallowConcurrentExecutionAttribute"/> holds cluster-wide (the job store keeps it in PostgreSQL): a
/// pipeline's firing that comes due while the same pipeline runs on any node waits until that run ends.
/// </remarks>
[DisallowConcurrentExecution]
public sealed class PipelineJob(PipelineRunner runner) : IJob
{
    /// <summary>The job data key holding the pipeline name.</summary>
    public const string PipelineKey = "pipeline";

    /// <inheritdoc />
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var name = context.MergedJobDataMap.GetString(PipelineKey)
            ?? throw new JobExecutionException($"Job {context.JobDetail.Key} has no '{PipelineKey}' in its data.");
        await runner.RunAsync(name, cancellationToken, "schedule");
    }
}
