namespace DataHub.Quality.Rules;

/// <summary>What a rule checks.</summary>
public enum RuleKind
{
    /// <summary>Values are present: not NULL and not one of the missing markers ('', 'NULL', '\N', '无' …).</summary>
    NotNull,

    /// <summary>Values are one of a code set's codes.</summary>
    InCodeSet,

    /// <summary>Values match a regular expression or a named format.</summary>
    Format,

    /// <summary>Text length lies within bounds.</summary>
    Length,

    /// <summary>Values lie within bounds.</summary>
    Range,

    /// <summary>Identifiers carry a valid check character (GB 11643 citizen ID, GB 32100 credit code).</summary>
    CheckDigit,

    /// <summary>A cross-field SQL condition that must hold for every row.</summary>
    Expression,

    /// <summary>No two rows share the key (one or several columns).</summary>
    Unique,

    /// <summary>Values exist in a column of another table.</summary>
    ForeignKey,
}
