namespace DataHub.Host.Api;

/// <summary>The first rows of a dataset, read from its Parquet files in the lake.</summary>
/// <param name="Dataset">The table name.</param>
/// <param name="Columns">Column names and DuckDB types.</param>
/// <param name="Rows">Rows as arrays in column order; NULL is null.</param>
/// <param name="TotalRows">Rows in the dataset according to the catalog.</param>
public sealed record DatasetPreview(string Dataset, IReadOnlyList<PreviewColumn> Columns, IReadOnlyList<object?[]> Rows, long TotalRows);
