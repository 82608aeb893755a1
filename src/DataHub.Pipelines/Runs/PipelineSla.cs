using DataHub.Pipelines.Definitions;
using Quartz;

namespace DataHub.Pipelines.Runs;

/// <summary>Whether a pipeline's data arrived by its SLA for the current cycle.</summary>
public enum SlaState
{
    /// <summary>No SLA or no schedule: nothing is expected at a given time.</summary>
    None,

    /// <summary>The current cycle's data is not due yet.</summary>
    NotDue,

    /// <summary>The current cycle's data arrived by the SLA time.</summary>
    OnTime,

    /// <summary>The SLA time passed without data for the current cycle.</summary>
    Late,
}

/// <summary>
/// The SLA of a scheduled pipeline: the data of each cycle (from one scheduled firing to the next) is expected by the
/// <c>sla</c> local time of the firing's day (the next day when the SLA time is earlier than the firing's). A cycle's
/// data has arrived when a run that read at least one row started after the previous cycle's deadline and by this one.
/// </summary>
public static class PipelineSla
{
    /// <summary>The SLA state now, given when runs that read data succeeded.</summary>
    /// <param name="pipeline">The pipeline (its schedule, time zone and SLA).</param>
    /// <param name="arrivals">Start times of succeeded runs that read at least one row.</param>
    /// <param name="now">The current time.</param>
    /// <returns>The state and, when one applies, the current cycle's deadline.</returns>
    public static (SlaState State, DateTimeOffset? Deadline) Evaluate(PipelineDefinition pipeline, IEnumerable<DateTimeOffset> arrivals, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        ArgumentNullException.ThrowIfNull(arrivals);
        if (pipeline.Sla is not { } sla || pipeline.Schedule is null)
        {
            return (SlaState.None, null);
        }

        var zone = TimeZoneInfo.FindSystemTimeZoneById(pipeline.TimeZone);
        var cron = new CronExpression(pipeline.Schedule, zone);
        // The last two firings at or before now (Quartz computes only forward: walk from 40 days back).
        DateTimeOffset? previous = null;
        DateTimeOffset? last = null;
        for (var t = cron.GetNextValidTimeAfter(now.AddDays(-40)); t is { } fire && fire <= now; t = cron.GetNextValidTimeAfter(fire))
        {
            (previous, last) = (last, fire);
        }

        if (last is not { } cycle)
        {
            return (SlaState.NotDue, null);
        }

        DateTimeOffset DeadlineOf(DateTimeOffset fire)
        {
            var local = TimeZoneInfo.ConvertTime(fire, zone);
            var due = local.Date + sla.ToTimeSpan();
            if (due < local.DateTime)
            {
                due = due.AddDays(1);
            }

            return new DateTimeOffset(due, zone.GetUtcOffset(due));
        }

        var deadline = DeadlineOf(cycle);
        // This cycle's window opens when the previous cycle's deadline passed.
        var windowStart = previous is { } p ? DeadlineOf(p) : cycle.AddDays(-40);
        var arrived = arrivals.Any(a => a > windowStart && a <= deadline);
        return arrived ? (SlaState.OnTime, deadline) : now < deadline ? (SlaState.NotDue, deadline) : (SlaState.Late, deadline);
    }
}
