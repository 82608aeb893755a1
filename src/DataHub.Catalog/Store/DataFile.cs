namespace DataHub.Catalog;

/// <summary>A data file of the lake registered for a dataset.</summary>
/// <param name="Id">The catalog id.</param>
/// <param name="Path">Path relative to the lake root, with '/' separators.</param>
/// <param name="RowCount">Rows in the file.</param>
/// <param name="SizeBytes">File size.</param>
/// <param name="RunId">The ingest run that wrote it, if any.</param>
/// <param name="CreatedAt">When it was registered.</param>
public sealed record DataFile(long Id, string Path, long RowCount, long SizeBytes, long? RunId, DateTimeOffset CreatedAt);
