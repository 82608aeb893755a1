namespace DataHub.Catalog;

/// <summary>One result of <see cref="CatalogStore.SearchAsync"/>.</summary>
/// <param name="Kind"><c>node</c> (an L1–L5 node), <c>element</c> (a data element) or <c>dataset</c>.</param>
/// <param name="Code">The node or element code, or the dataset name.</param>
/// <param name="Name">The node or element name, or the dataset title.</param>
/// <param name="Level">The node level 1–5; null for elements and datasets.</param>
/// <param name="Description">The description or abstract, if any.</param>
/// <param name="Path">For a node, the names of its ancestors from L1 down, joined by " / "; null otherwise.</param>
/// <param name="HasData">An L5 attribute mapped from a column of a dataset that holds data, or a dataset that holds data.</param>
/// <param name="Match"><c>exact</c> (the name or the code's last segment is the query), <c>prefix</c>, <c>name</c> (the name contains it) or <c>text</c> (the code or description does).</param>
public sealed record CatalogSearchHit(
    string Kind,
    string Code,
    string Name,
    int? Level,
    string? Description,
    string? Path,
    bool HasData,
    string Match);
