namespace DataHub.Catalog;

/// <summary>A column of a dataset as stored in the catalog.</summary>
/// <param name="Ordinal">1-based position.</param>
/// <param name="Name">Physical column name.</param>
/// <param name="DataType">DuckDB type.</param>
/// <param name="Source">The source header it is read from, if any.</param>
/// <param name="L5NodeCode">The L5 attribute it maps to, if any.</param>
/// <param name="L5NodeName">The name of that attribute, if any.</param>
/// <param name="Description">Optional explanation.</param>
/// <param name="Sensitivity">The sensitivity level of the L5 attribute, if mapped.</param>
/// <param name="Importance">The importance grade of the L5 attribute, if mapped.</param>
/// <param name="ElementCode">The data element of the L5 attribute, if any.</param>
public sealed record DatasetColumn(
    int Ordinal,
    string Name,
    string DataType,
    string? Source,
    string? L5NodeCode,
    string? L5NodeName,
    string? Description,
    int? Sensitivity = null,
    string? Importance = null,
    string? ElementCode = null);
