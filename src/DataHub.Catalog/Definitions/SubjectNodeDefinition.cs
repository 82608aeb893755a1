namespace DataHub.Catalog;

/// <summary>A node of the L1–L5 data architecture from <c>catalog/architecture.yaml</c>.</summary>
/// <param name="Code">Stable code starting with its level, such as <c>L2.utility.water</c>.</param>
/// <param name="Level">1 subject-area group, 2 subject area, 3 business object, 4 logical entity, 5 attribute.</param>
/// <param name="Name">Display name, such as 供水.</param>
/// <param name="ParentCode">The code of the node one level up; null for L1.</param>
/// <param name="Description">Optional explanation.</param>
public sealed record SubjectNodeDefinition(string Code, int Level, string Name, string? ParentCode, string? Description);
