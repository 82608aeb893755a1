using DataHub.DuckDb;

namespace DataHub.Pipelines.Ingest;

/// <summary>Reports DuckDB's progress through the statement reading an input, twice a second, while it runs.</summary>
internal sealed class ProgressPoller : IDisposable
{
    private readonly Timer? _timer;

    private ProgressPoller(Timer? timer) => _timer = timer;

    public static ProgressPoller Start(DuckDbConnection duck, IProgress<IngestProgress>? progress, string input, long rows, long bytesBefore, long inputBytes, long totalBytes, long started)
    {
        if (progress is null)
        {
            return new ProgressPoller(null);
        }

        var timer = new Timer(_ =>
        {
            var p = duck.GetQueryProgress();
            if (p.Percentage >= 0)
            {
                var done = bytesBefore + (long)(inputBytes * Math.Clamp(p.Percentage, 0, 100) / 100.0);
                progress.Report(new IngestProgress(input, rows, done, totalBytes, System.Diagnostics.Stopwatch.GetElapsedTime(started)));
            }
        }, null, TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(500));
        return new ProgressPoller(timer);
    }

    public void Dispose() => _timer?.Dispose();
}
