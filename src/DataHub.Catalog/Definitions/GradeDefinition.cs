namespace DataHub.Catalog;

/// <summary>A grade from <c>catalog/grades.yaml</c>: a sensitivity level or an importance grade.</summary>
/// <param name="Kind"><c>sensitivity</c> or <c>importance</c>.</param>
/// <param name="Code">The level (<c>1</c>–<c>4</c>) or the grade (<c>core</c>, <c>important</c>, <c>general</c>).</param>
/// <param name="Name">Chinese name, such as 敏感 or 核心数据.</param>
/// <param name="Description">What the grade means for sharing and masking.</param>
public sealed record GradeDefinition(string Kind, string Code, string Name, string? Description);
