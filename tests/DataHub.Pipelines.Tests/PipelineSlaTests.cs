using DataHub.Pipelines.Definitions;
using DataHub.Pipelines.Runs;

namespace DataHub.Pipelines.Tests;

public sealed class PipelineSlaTests
{
    private static readonly PipelineDefinition Daily = new()
    {
        Name = "water_meter_daily", Department = "water", Target = "water.meter_reading_daily", Schedule = "0 30 2 * * ?",
        Sla = new TimeOnly(6, 0), Source = new SourceDefinition { Path = "samples/water" },
    };

    private static DateTimeOffset Shanghai(int day, int hour, int minute = 0) => new(2026, 11, day, hour, minute, 0, TimeSpan.FromHours(8));

    [Fact]
    public void Before_the_deadline_the_cycle_is_not_due_and_after_it_late_without_data()
    {
        Assert.Equal(SlaState.NotDue, PipelineSla.Evaluate(Daily, [], Shanghai(20, 5)).State);
        var (state, deadline) = PipelineSla.Evaluate(Daily, [Shanghai(19, 2, 31)], Shanghai(20, 7));
        Assert.Equal(SlaState.Late, state);
        Assert.Equal(Shanghai(20, 6), deadline);
    }

    [Fact]
    public void Data_arriving_after_the_previous_firing_and_by_the_deadline_is_on_time()
    {
        Assert.Equal(SlaState.OnTime, PipelineSla.Evaluate(Daily, [Shanghai(20, 2, 31)], Shanghai(20, 7)).State);
        Assert.Equal(SlaState.OnTime, PipelineSla.Evaluate(Daily, [Shanghai(19, 23)], Shanghai(20, 7)).State); // early delivery
        Assert.Equal(SlaState.Late, PipelineSla.Evaluate(Daily, [Shanghai(20, 6, 30)], Shanghai(20, 7)).State); // after the deadline
    }

    [Fact]
    public void Without_an_sla_or_a_schedule_nothing_is_expected()
    {
        Assert.Equal(SlaState.None, PipelineSla.Evaluate(Daily with { Sla = null }, [], Shanghai(20, 7)).State);
        Assert.Equal(SlaState.None, PipelineSla.Evaluate(Daily with { Schedule = null }, [], Shanghai(20, 7)).State);
    }
}
