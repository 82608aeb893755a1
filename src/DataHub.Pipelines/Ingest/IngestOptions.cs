using DataHub.Quality.Rules;

namespace DataHub.Pipelines.Ingest;

/// <summary>How a run is made.</summary>
public sealed record IngestOptions
{
    /// <summary>Quality rules bound to the target; the pipeline's quality_gate picks those that reject rows or fail the run.</summary>
    public IReadOnlyList<QualityRule> Gate { get; init; } = [];

    /// <summary>What started the run: schedule, manual, demo, retry, resubmit.</summary>
    public string Trigger { get; init; } = "manual";

    /// <summary>1 for the first attempt, then 2, 3 … for retries.</summary>
    public int Attempt { get; init; } = 1;

    /// <summary>Receives rows, bytes and rate while the run reads its inputs.</summary>
    public IProgress<IngestProgress>? Progress { get; init; }

    /// <summary>Ingest these files instead of the source's (re-submission of corrected quarantined rows).</summary>
    public IReadOnlyList<string>? Files { get; init; }

    /// <summary>
    /// True (the default): an <c>append</c> CSV pipeline without a transformation parses, types and gates its inputs in
    /// one streaming pass straight into the lake file, setting the rejected rows aside on the way. False: every
    /// pipeline stages its typed rows in a table first (as <c>merge</c>, <c>overwrite_partition</c> and
    /// transformations always do). Both commit the same rows and quarantine the same rows with the same reasons;
    /// tests compare them.
    /// </summary>
    public bool Streaming { get; init; } = true;

    /// <summary>Quarantine ids this run re-submits; recorded as resolved when it commits.</summary>
    public IReadOnlyList<string> Resubmitted { get; init; } = [];
}

/// <summary>Progress of a run's reading.</summary>
/// <param name="Input">The input being read.</param>
/// <param name="Rows">Records found so far.</param>
/// <param name="Bytes">Bytes read so far (whole inputs plus DuckDB's progress through the current one).</param>
/// <param name="TotalBytes">Bytes of all inputs.</param>
/// <param name="Elapsed">Time since reading started.</param>
public sealed record IngestProgress(string Input, long Rows, long Bytes, long TotalBytes, TimeSpan Elapsed)
{
    /// <summary>Bytes per second so far.</summary>
    public double BytesPerSecond => Elapsed.TotalSeconds > 0 ? Bytes / Elapsed.TotalSeconds : 0;

    /// <summary>Estimated time left at the rate so far, or null before anything was read.</summary>
    public TimeSpan? Eta => BytesPerSecond > 0 ? TimeSpan.FromSeconds((TotalBytes - Bytes) / BytesPerSecond) : null;
}
