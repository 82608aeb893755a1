namespace DataHub.Catalog;

/// <summary>A physical column of a dataset (an information item), in file order.</summary>
/// <param name="Ordinal">1-based position.</param>
/// <param name="Name">Physical column name in the lake, such as <c>account_no</c>.</param>
/// <param name="DataType">DuckDB type, such as <c>VARCHAR</c> or <c>DECIMAL(12,2)</c>.</param>
/// <param name="Source">The header in the provider's files this column is read from, such as 户号; null when not read from a file.</param>
/// <param name="L5NodeCode">The L5 attribute the column maps to; null when not mapped yet.</param>
/// <param name="Description">Optional explanation.</param>
public sealed record DatasetColumnDefinition(
    int Ordinal,
    string Name,
    string DataType,
    string? Source,
    string? L5NodeCode,
    string? Description);
