namespace DataHub.Catalog;

/// <summary>A node of the L1–L5 tree as returned by <see cref="CatalogStore.GetTreeAsync"/>.</summary>
/// <param name="Code">The node code.</param>
/// <param name="Level">1–5.</param>
/// <param name="Name">The Chinese name.</param>
/// <param name="Description">Optional explanation.</param>
/// <param name="ElementCode">The data element of an L5 attribute, if any.</param>
/// <param name="Sensitivity">Sensitivity level 1–4 (effective for L5, declared default above).</param>
/// <param name="Importance"><c>core</c>, <c>important</c> or <c>general</c> (effective for L5, declared default above).</param>
/// <param name="HasData">For L5: some column of a dataset that holds data maps to it.</param>
/// <param name="ChildCount">How many children the node has, whether or not they are included.</param>
/// <param name="Children">The children included within the requested depth, by code.</param>
public sealed record CatalogTreeNode(
    string Code,
    int Level,
    string Name,
    string? Description,
    string? ElementCode,
    int? Sensitivity,
    string? Importance,
    bool HasData,
    int ChildCount,
    IReadOnlyList<CatalogTreeNode> Children);
