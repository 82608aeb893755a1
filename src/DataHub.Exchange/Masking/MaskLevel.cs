namespace DataHub.Exchange.Masking;

/// <summary>The masks of one sensitivity level (1–4, as in <c>catalog/grades.yaml</c>).</summary>
/// <param name="Level">The sensitivity level.</param>
/// <param name="NeverShared">True when columns of this level never leave the platform (level 4).</param>
/// <param name="Default">The mask of columns no entry below names; null only when <paramref name="NeverShared"/>.</param>
/// <param name="Masks">Masks by semantic type (<see cref="MaskDefinitions.SemanticTypes"/>) or data element code; an element's entry wins over its type's.</param>
public sealed record MaskLevel(int Level, bool NeverShared, MaskRule? Default, IReadOnlyDictionary<string, MaskRule> Masks);
