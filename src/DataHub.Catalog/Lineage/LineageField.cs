namespace DataHub.Catalog.Lineage;

/// <summary>A field of a dataset's schema as reported in OpenLineage's <c>schema</c> facet.</summary>
/// <param name="Name">The column name (for a source file, the header as written).</param>
/// <param name="Type">The type, such as <c>VARCHAR</c>; null when unknown.</param>
public sealed record LineageField(string Name, string? Type);
