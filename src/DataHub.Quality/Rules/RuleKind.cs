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

    /// <summary>The table's row count lies within bounds, or changed by at most a percentage since the previous snapshot.</summary>
    RowCount,

    /// <summary>The newest value of a date/time column, or the last commit, is within the dataset's update cycle.</summary>
    Freshness,

    /// <summary>The table's columns and types are those the catalog lists.</summary>
    Schema,

    /// <summary>
    /// Another catalogued dataset holding the same entities agrees: rows joined on a key, chosen fields equal
    /// (numbers within a tolerance), and no key on one side only.
    /// </summary>
    Reconcile,

    /// <summary>
    /// The sources fused into a theme table agree (多源比对): the keys listed in the theme's conflicts table
    /// (<c>with</c>, for one field when <c>column</c> names it) fail, out of the table's rows.
    /// </summary>
    SourceConflicts,

    /// <summary>
    /// Every record is linked to a standard address (一标三实): the code column a geocoded theme field fills is not NULL.
    /// Samples show the record's key, the code and the columns listed with the rule (the address text, its match level).
    /// </summary>
    AddressLink,
}
