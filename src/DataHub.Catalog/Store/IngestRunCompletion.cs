namespace DataHub.Catalog;

/// <summary>How an ingest run ended, passed to <see cref="CatalogStore.CompleteIngestRunAsync"/>.</summary>
/// <param name="Status"><see cref="IngestRunStatus.Succeeded"/> or <see cref="IngestRunStatus.Failed"/>.</param>
/// <param name="RowsRead">Rows read from the source.</param>
/// <param name="RowsCommitted">Rows written to the lake.</param>
/// <param name="RowsQuarantined">Rows set aside with a reason.</param>
/// <param name="Message">A summary or the error.</param>
public sealed record IngestRunCompletion(
    IngestRunStatus Status,
    long RowsRead,
    long RowsCommitted,
    long RowsQuarantined,
    string? Message = null);
