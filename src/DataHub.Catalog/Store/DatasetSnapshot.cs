namespace DataHub.Catalog;

/// <summary>One version of a dataset's data (placeholder until the lake keeps snapshots: the files of one ingest run).</summary>
/// <param name="RunId">The ingest run that wrote it, if any.</param>
/// <param name="CommittedAt">When its last file was registered.</param>
/// <param name="RowCount">Rows added by it.</param>
/// <param name="FileCount">Files added by it.</param>
public sealed record DatasetSnapshot(long? RunId, DateTimeOffset CommittedAt, long RowCount, int FileCount);
