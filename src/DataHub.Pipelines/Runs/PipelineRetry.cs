using DataHub.Pipelines.Definitions;
using DataHub.Pipelines.Ingest;

namespace DataHub.Pipelines.Runs;

/// <summary>
/// A pipeline's <c>retries</c>: a failed attempt is tried again up to <see cref="RetryDefinition.Count"/> more times,
/// waiting <see cref="RetryDefinition.Backoff"/> and doubling the wait each time. A run its quality gate failed, a run
/// refused because the pipeline is running elsewhere, and cancellation are not retried: trying again cannot help.
/// </summary>
public static class PipelineRetry
{
    /// <summary>Runs <paramref name="attempt"/> (given the attempt number, from 1) until it succeeds or the retries are spent.</summary>
    public static async Task<T> RunAsync<T>(RetryDefinition retries, Func<int, Task<T>> attempt, Action<int, TimeSpan, Exception>? retrying, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(retries);
        ArgumentNullException.ThrowIfNull(attempt);
        for (var number = 1; ; number++)
        {
            try
            {
                return await attempt(number);
            }
            catch (Exception e) when (number <= retries.Count && IsRetryable(e))
            {
                var wait = retries.Backoff * Math.Pow(2, number - 1);
                retrying?.Invoke(number, wait, e);
                await Task.Delay(wait, ct);
            }
        }
    }

    /// <summary>Whether a failed attempt is worth trying again.</summary>
    public static bool IsRetryable(Exception e) => e is not (OperationCanceledException or IngestRejectedException or PipelineBusyException);
}
