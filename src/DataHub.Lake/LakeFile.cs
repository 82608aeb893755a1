namespace DataHub.Lake;

/// <summary>A Parquet file written to the lake.</summary>
/// <param name="RelativePath">Path under the lake root, with '/' separators.</param>
/// <param name="RowCount">Rows written.</param>
/// <param name="SizeBytes">File size.</param>
public sealed record LakeFile(string RelativePath, long RowCount, long SizeBytes);
