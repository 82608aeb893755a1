namespace DataHub.Lake.Tables;

/// <summary>A table at one version, and the DuckDB SELECT that yields exactly its rows in its schema then.</summary>
/// <param name="Table">The table as of the version read.</param>
/// <param name="Sql">A SELECT over the live Parquet files (paths checked to stay in the lake).</param>
/// <param name="RowCount">Rows at that version, from the file metadata.</param>
public sealed record LakeScan(LakeTableInfo Table, string Sql, long RowCount);
