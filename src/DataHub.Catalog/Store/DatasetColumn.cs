namespace DataHub.Catalog;

/// <summary>A column of a dataset as stored in the catalog.</summary>
/// <param name="Ordinal">1-based position.</param>
/// <param name="Name">Physical column name.</param>
/// <param name="DataType">DuckDB type.</param>
/// <param name="Source">The source header it is read from, if any.</param>
/// <param name="L5NodeCode">The L5 attribute it maps to, if any.</param>
/// <param name="L5NodeName">The name of that attribute, if any.</param>
/// <param name="Description">Optional explanation.</param>
public sealed record DatasetColumn(
    int Ordinal,
    string Name,
    string DataType,
    string? Source,
    string? L5NodeCode,
    string? L5NodeName,
    string? Description);
