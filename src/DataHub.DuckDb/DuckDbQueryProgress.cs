namespace DataHub.DuckDb;

/// <summary>Progress of the query running on a connection, for progress bars.</summary>
/// <param name="Percentage">0–100, or -1 when DuckDB cannot estimate progress (no query, or not yet started).</param>
/// <param name="RowsProcessed">Rows processed so far.</param>
/// <param name="TotalRowsToProcess">DuckDB's estimate of all rows to process.</param>
public readonly record struct DuckDbQueryProgress(double Percentage, ulong RowsProcessed, ulong TotalRowsToProcess);
