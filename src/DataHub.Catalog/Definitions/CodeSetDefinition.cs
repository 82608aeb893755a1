namespace DataHub.Catalog;

/// <summary>A code set (代码集) from <c>catalog/codesets/&lt;code&gt;.yaml</c>, such as GB/T 2261.1 sex.</summary>
/// <param name="Code">Stable identifier (= file name), such as <c>sex</c>.</param>
/// <param name="Name">Chinese name, such as 人的性别代码.</param>
/// <param name="Standard">The standard it follows, such as <c>GB/T 2261.1-2003</c>.</param>
/// <param name="Description">Optional explanation.</param>
/// <param name="Values">The values in file order.</param>
public sealed record CodeSetDefinition(
    string Code,
    string Name,
    string? Standard,
    string? Description,
    IReadOnlyList<CodeValueDefinition> Values);
