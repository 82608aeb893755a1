namespace DataHub.Exchange.Masking;

/// <summary>
/// The masks by grade from <c>catalog/masks.yaml</c>: which data elements (or single L5 attributes) are names, ID
/// numbers, phones, addresses, other identifiers or free text, and per sensitivity level the mask of each.
/// </summary>
/// <param name="HashLength">Hex characters a keyed hash keeps (8–64).</param>
/// <param name="ElementTypes">Semantic type by data element code.</param>
/// <param name="AttributeTypes">Semantic type by L5 attribute code, overriding its element's.</param>
/// <param name="Levels">The levels 1–4 by level.</param>
/// <param name="SourceFile">The file read.</param>
public sealed record MaskDefinitions(
    int HashLength,
    IReadOnlyDictionary<string, string> ElementTypes,
    IReadOnlyDictionary<string, string> AttributeTypes,
    IReadOnlyDictionary<int, MaskLevel> Levels,
    string SourceFile)
{
    /// <summary>The semantic types a column may have.</summary>
    public static IReadOnlyList<string> SemanticTypes { get; } = ["name", "citizen_id", "phone", "address", "identifier", "free_text"];

    /// <summary>The semantic type of a column, from its L5 attribute or else its data element; null when neither says.</summary>
    /// <param name="attributeCode">The column's L5 attribute, if mapped.</param>
    /// <param name="elementCode">The attribute's data element, if any.</param>
    public string? SemanticTypeOf(string? attributeCode, string? elementCode) =>
        attributeCode is not null && AttributeTypes.TryGetValue(attributeCode, out var byAttribute) ? byAttribute
        : elementCode is not null && ElementTypes.TryGetValue(elementCode, out var byElement) ? byElement
        : null;

    /// <summary>The mask for a column of a level: its element's entry, its semantic type's, or the level's default.</summary>
    /// <param name="level">The column's sensitivity level (1–3; level 4 has none).</param>
    /// <param name="elementCode">The column's data element, if any.</param>
    /// <param name="semanticType">The column's semantic type, if any.</param>
    public MaskRule? RuleFor(int level, string? elementCode, string? semanticType)
    {
        if (!Levels.TryGetValue(level, out var masks) || masks.NeverShared)
        {
            return null;
        }

        return elementCode is not null && masks.Masks.TryGetValue(elementCode, out var byElement) ? byElement
            : semanticType is not null && masks.Masks.TryGetValue(semanticType, out var byType) ? byType
            : masks.Default;
    }
}
