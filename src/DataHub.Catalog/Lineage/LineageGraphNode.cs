namespace DataHub.Catalog.Lineage;

/// <summary>A column reached by a lineage walk.</summary>
/// <param name="Dataset">The dataset name.</param>
/// <param name="Field">The column (<c>*</c> for the dataset as a whole).</param>
/// <param name="Distance">Edges between it and the dataset the walk started from (0 for that dataset's own columns).</param>
public sealed record LineageGraphNode(string Dataset, string Field, int Distance);
