namespace DataHub.Themes.Definitions;

/// <summary>
/// A theme database table built by fusion (<c>catalog/themes/*.yaml</c>): one golden record per key from several
/// sources, each field chosen by its declared source priority (or recency), each keeping where it came from.
/// </summary>
/// <param name="Name">The theme's name, such as <c>population_person</c>.</param>
/// <param name="Title">The title people read, such as 人口库·人员基本信息.</param>
/// <param name="Table">The lake table the golden records are committed to, schema.table.</param>
/// <param name="KeyField">The key's column in the theme table, such as <c>citizen_id</c>.</param>
/// <param name="KeyKind">How source keys are normalised before they are matched.</param>
/// <param name="Sources">Where values come from.</param>
/// <param name="Fields">The theme's fields besides the key, in order.</param>
/// <param name="SourceFile">The definition file.</param>
public sealed record ThemeDefinition(
    string Name, string Title, string Table, string KeyField, ThemeKeyKind KeyKind, IReadOnlyList<ThemeSource> Sources, IReadOnlyList<ThemeField> Fields, string SourceFile)
{
    /// <summary>The lake table of the conflicts found by the last build: <c>{table}_conflicts</c>.</summary>
    public string ConflictsTable => Table + "_conflicts";
}

/// <summary>How a theme's key is normalised.</summary>
public enum ThemeKeyKind
{
    /// <summary>GB 11643 citizen ID number (15-digit numbers upgraded, full-width folded, x upper-cased).</summary>
    CitizenId,

    /// <summary>GB 32100 unified social credit code.</summary>
    CreditCode,
}

/// <summary>How a field's value is chosen among the sources that have one.</summary>
public enum ThemePick
{
    /// <summary>The first source in the field's priority list that has a value; recency breaks ties within a source.</summary>
    Priority,

    /// <summary>The most recently observed value; the priority list breaks ties and sources without a date come last.</summary>
    Recency,
}

/// <summary>One source of a theme: a catalogued dataset (or a part of it), its key column and the fields it supplies.</summary>
/// <param name="Id">The source's id in the definition, such as <c>police</c>; names provenance.</param>
/// <param name="Dataset">The catalogued dataset, schema.table.</param>
/// <param name="KeyColumn">The dataset's column holding the key as the department writes it.</param>
/// <param name="ObservedAt">The dataset's column dating each row (for recency), or null.</param>
/// <param name="Fields">Theme field → the dataset's column supplying it.</param>
/// <param name="Where">Conditions selecting the rows that count (column IN values), AND-ed; empty for all rows.</param>
/// <param name="Line">The definition's line.</param>
public sealed record ThemeSource(
    string Id, string Dataset, string KeyColumn, string? ObservedAt, IReadOnlyDictionary<string, string> Fields, IReadOnlyList<ThemeCondition> Where, int Line);

/// <summary>A condition of a source: the column's value is one of these.</summary>
/// <param name="Column">The dataset's column.</param>
/// <param name="Values">The accepted values.</param>
public sealed record ThemeCondition(string Column, IReadOnlyList<string> Values);

/// <summary>A field of a theme.</summary>
/// <param name="Name">The column in the theme table.</param>
/// <param name="Type">Its DuckDB type.</param>
/// <param name="Pick">How the value is chosen.</param>
/// <param name="Priority">The sources that may supply it, best first.</param>
/// <param name="Conflicts">Whether differing values among the sources are reported as consistency problems (多源比对).</param>
/// <param name="Line">The definition's line.</param>
public sealed record ThemeField(string Name, string Type, ThemePick Pick, IReadOnlyList<string> Priority, bool Conflicts, int Line);
