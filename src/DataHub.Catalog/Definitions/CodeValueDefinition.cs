namespace DataHub.Catalog;

/// <summary>One value of a code set.</summary>
/// <param name="Code">The code, such as <c>1</c> or <c>340104</c>.</param>
/// <param name="Name">Its meaning, such as 男性 or 蜀山区.</param>
/// <param name="ParentCode">The parent value in a hierarchical set (a county's city), if any.</param>
public sealed record CodeValueDefinition(string Code, string Name, string? ParentCode);
