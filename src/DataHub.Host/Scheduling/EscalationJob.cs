using DataHub.Host.Platform;
using Quartz;

namespace DataHub.Host.Scheduling;

/// <summary>
/// The Quartz job that escalates to the data bureau every conditional request its provider has not answered by the
/// due date (10 working days after filing by default), each escalation audited.
/// </summary>
[DisallowConcurrentExecution]
public sealed class EscalationJob(DataHubPlatform platform) : IJob
{
    /// <summary>The job's key.</summary>
    public static readonly JobKey Key = new("request-escalation", "exchange");

    /// <summary>00:30 every day (Asia/Shanghai).</summary>
    public const string Schedule = "0 30 0 * * ?";

    /// <inheritdoc />
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(context.FireTimeUtc, TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai")).DateTime);
        await platform.Exchange.Requests.EscalateOverdueAsync(today, cancellationToken);
    }
}
