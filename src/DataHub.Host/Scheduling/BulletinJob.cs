using DataHub.Host.Platform;
using DataHub.Host.Reports;
using Quartz;

namespace DataHub.Host.Scheduling;

/// <summary>The Quartz job that publishes last month's quality bulletin (scheduled for the first day of each month).</summary>
[DisallowConcurrentExecution]
public sealed class BulletinJob(DataHubPlatform platform) : IJob
{
    /// <summary>The job's key.</summary>
    public static readonly JobKey Key = new("quality-bulletin", "quality");

    /// <summary>03:00 on the first day of every month.</summary>
    public const string Schedule = "0 0 3 1 * ?";

    /// <inheritdoc />
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var lastMonth = context.FireTimeUtc.AddMonths(-1);
        await BulletinWriter.WriteAsync(platform, lastMonth.Year, lastMonth.Month, cancellationToken);
    }
}
