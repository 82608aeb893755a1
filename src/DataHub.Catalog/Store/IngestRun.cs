namespace DataHub.Catalog;

/// <summary>An ingest run as recorded in the catalog.</summary>
/// <param name="Id">The run id.</param>
/// <param name="DatasetName">The dataset ingested.</param>
/// <param name="StartedAt">When it was registered.</param>
/// <param name="FinishedAt">When it completed; null while running.</param>
/// <param name="RowsRead">Rows read; null while running.</param>
/// <param name="RowsCommitted">Rows committed; null while running.</param>
/// <param name="RowsQuarantined">Rows quarantined; null while running.</param>
/// <param name="Status">The state.</param>
/// <param name="Message">A summary or the error.</param>
/// <param name="RejectionCount">Rejection records stored for the run.</param>
public sealed record IngestRun(
    long Id,
    string DatasetName,
    DateTimeOffset StartedAt,
    DateTimeOffset? FinishedAt,
    long? RowsRead,
    long? RowsCommitted,
    long? RowsQuarantined,
    IngestRunStatus Status,
    string? Message,
    long RejectionCount);
