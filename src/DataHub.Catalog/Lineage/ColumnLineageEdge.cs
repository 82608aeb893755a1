namespace DataHub.Catalog.Lineage;

/// <summary>One dependency of an output column on an input column.</summary>
/// <param name="Input">The column read.</param>
/// <param name="Output">The column written (<see cref="LineageColumn.WholeDataset"/> for the dataset as a whole).</param>
/// <param name="Type">Direct (the value flows) or indirect (the input shapes which rows exist).</param>
/// <param name="Subtype">
/// An upper-case OpenLineage subtype: <c>IDENTITY</c>, <c>TRANSFORMATION</c>, <c>AGGREGATION</c> for direct ones;
/// <c>FILTER</c>, <c>JOIN</c>, <c>GROUP_BY</c>, <c>SORT</c>, <c>WINDOW</c>, <c>CONDITIONAL</c> for indirect ones.
/// </param>
/// <param name="Masked">Whether the transformation masks the data (hash, truncation, redaction).</param>
/// <param name="Description">What was done, such as <c>CAST AS DATE</c>; null when nothing worth saying.</param>
public sealed record ColumnLineageEdge(
    LineageColumn Input,
    LineageColumn Output,
    LineageTransformationType Type,
    string Subtype,
    bool Masked = false,
    string? Description = null);
