namespace DataHub.Catalog.Lineage;

/// <summary>The column lineage around a dataset, up to a depth.</summary>
/// <param name="Dataset">The dataset the walk started from.</param>
/// <param name="Direction">Up (sources), down (consumers) or both.</param>
/// <param name="Depth">The most edges walked from the dataset's columns.</param>
/// <param name="Nodes">The columns reached, nearest first.</param>
/// <param name="Edges">The dependencies between them, input → output.</param>
/// <param name="Truncated">
/// True when the walk stopped before <paramref name="Depth"/> because it had reached
/// <see cref="LineageStore.MaxNodes"/> columns; the graph then holds the levels walked so far.
/// </param>
public sealed record LineageGraph(
    string Dataset,
    LineageDirection Direction,
    int Depth,
    IReadOnlyList<LineageGraphNode> Nodes,
    IReadOnlyList<ColumnLineageEdge> Edges,
    bool Truncated = false);
