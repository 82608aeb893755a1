namespace DataHub.Catalog;

/// <summary>A node of the L1–L5 data architecture from <c>catalog/architecture.yaml</c> or <c>catalog/architecture/*.yaml</c>.</summary>
/// <param name="Code">Stable code starting with its level, such as <c>L2.utility.water</c>.</param>
/// <param name="Level">1 subject-area group, 2 subject area, 3 business object, 4 logical entity, 5 attribute.</param>
/// <param name="Name">Display name, such as 供水.</param>
/// <param name="ParentCode">The code of the node one level up; null for L1.</param>
/// <param name="Description">Optional explanation.</param>
/// <param name="ElementCode">The data element (数据元) an L5 attribute refers to, if any.</param>
/// <param name="Sensitivity">
/// Sensitivity level 1 (not sensitive) to 4 (sensitive). For an L5 attribute the effective level (its own or the
/// nearest ancestor's); for upper levels the declared default, if any.
/// </param>
/// <param name="Importance">
/// <c>core</c>, <c>important</c> or <c>general</c> after GB/T 43697; effective for L5, declared default above.
/// </param>
/// <param name="SourceFile">The YAML file it was read from, when read from one.</param>
public sealed record SubjectNodeDefinition(
    string Code,
    int Level,
    string Name,
    string? ParentCode,
    string? Description,
    string? ElementCode = null,
    int? Sensitivity = null,
    string? Importance = null,
    string? SourceFile = null);
