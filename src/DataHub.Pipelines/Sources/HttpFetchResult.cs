using DataHub.Pipelines.Ingest;

namespace DataHub.Pipelines.Sources;

/// <summary>What one run of an <see cref="HttpJsonSource"/> read.</summary>
/// <param name="File">All pages' records as one normalised CSV; <c>__line</c> is each record's 1-based ordinal over the run.</param>
/// <param name="LastCursor">
/// The cursor to start the next run from: the next cursor the last page gave, or when it gave none, the cursor that
/// fetched it (null when that was the first page of an endpoint read from its start).
/// </param>
/// <param name="Pages">Pages fetched.</param>
/// <param name="Complete">False when the run stopped at <see cref="HttpSourceOptions.MaxPages"/> with pages left.</param>
public sealed record HttpFetchResult(DecodedFile File, string? LastCursor, int Pages, bool Complete);
