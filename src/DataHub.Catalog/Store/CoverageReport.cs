namespace DataHub.Catalog;

/// <summary>How much of the lake is described by the architecture, and how much of the architecture holds data.</summary>
/// <param name="Columns">Physical columns of all datasets.</param>
/// <param name="MappedColumns">Of those, the columns mapped to an L5 attribute.</param>
/// <param name="Attributes">L5 attributes in the architecture.</param>
/// <param name="AttributesWithData">L5 attributes that a column of a dataset holding data maps to.</param>
/// <param name="UnmappedColumns">Every column with no L5 attribute, as <c>dataset.column</c>, by name.</param>
/// <param name="AttributesWithoutData">L5 attributes without data, by code, at most the requested number.</param>
public sealed record CoverageReport(
    int Columns,
    int MappedColumns,
    int Attributes,
    int AttributesWithData,
    IReadOnlyList<string> UnmappedColumns,
    IReadOnlyList<AttributeWithoutData> AttributesWithoutData)
{
    /// <summary>Mapped columns over all columns, 0–1 (1 when there are no columns).</summary>
    public double ColumnCoverage => Columns == 0 ? 1 : (double)MappedColumns / Columns;

    /// <summary>Attributes with data over all attributes, 0–1 (0 when there are none).</summary>
    public double AttributeCoverage => Attributes == 0 ? 0 : (double)AttributesWithData / Attributes;
}
