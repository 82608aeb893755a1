using DataHub.Pipelines.Definitions;
using DataHub.Pipelines.Ingest;
using DataHub.Pipelines.Runs;

namespace DataHub.Pipelines.Tests;

public sealed class PipelineRetryTests
{
    private static readonly RetryDefinition TwoRetries = new() { Count = 2, Backoff = TimeSpan.FromMilliseconds(20) };

    [Fact]
    public async Task A_failing_attempt_is_retried_with_doubling_waits_until_it_succeeds()
    {
        var waits = new List<TimeSpan>();
        var result = await PipelineRetry.RunAsync(TwoRetries, attempt =>
            attempt < 3 ? throw new IOException($"connection reset (attempt {attempt})") : Task.FromResult(attempt),
            (_, wait, _) => waits.Add(wait), CancellationToken.None);
        Assert.Equal(3, result);
        Assert.Equal([TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(40)], waits);
    }

    [Fact]
    public async Task When_the_retries_are_spent_the_last_error_is_thrown()
    {
        var attempts = 0;
        var error = await Assert.ThrowsAsync<IOException>(() => PipelineRetry.RunAsync<int>(TwoRetries, attempt =>
        {
            attempts++;
            throw new IOException($"attempt {attempt}");
        }, null, CancellationToken.None));
        Assert.Equal(3, attempts);
        Assert.Equal("attempt 3", error.Message);
    }

    [Fact]
    public async Task A_run_the_gate_failed_or_a_busy_pipeline_is_not_retried()
    {
        var attempts = 0;
        await Assert.ThrowsAsync<IngestRejectedException>(() => PipelineRetry.RunAsync<int>(TwoRetries, _ =>
        {
            attempts++;
            throw new IngestRejectedException("too many rejected rows");
        }, null, CancellationToken.None));
        await Assert.ThrowsAsync<PipelineBusyException>(() => PipelineRetry.RunAsync<int>(TwoRetries, _ =>
        {
            attempts++;
            throw new PipelineBusyException("already running");
        }, null, CancellationToken.None));
        Assert.Equal(2, attempts);
    }
}
