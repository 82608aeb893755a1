namespace DataHub.Themes.Identifiers;

/// <summary>An identifier as normalised, or why it could not be.</summary>
/// <param name="Value">The canonical form (18 characters, upper case), or null when the input is not a valid identifier.</param>
/// <param name="Problem">Why not, such as <c>check character is 5, expected X</c>; null when valid.</param>
/// <param name="Changes">What normalisation did (<c>full-width</c>, <c>lower-case x</c>, <c>upgraded from 15 digits</c>, …); empty when the input was already canonical.</param>
public sealed record NormalizedId(string? Value, string? Problem, IReadOnlyList<string> Changes)
{
    /// <summary>Whether the identifier is valid.</summary>
    public bool IsValid => Value is not null;
}
