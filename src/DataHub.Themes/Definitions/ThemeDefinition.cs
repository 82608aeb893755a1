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

    /// <summary>The theme's event history (such as a legal entity's established, changed, deregistered), or null.</summary>
    public ThemeHistory? History { get; init; }
}

/// <summary>
/// A history table of a theme: dated events per key, each from a source row (the key as the source's roles give it).
/// Built with the golden records, incrementally alike.
/// </summary>
/// <param name="Table">The lake table, schema.table.</param>
/// <param name="Events">The events and where they come from.</param>
public sealed record ThemeHistory(string Table, IReadOnlyList<ThemeEvent> Events);

/// <summary>An event of a history: every selected row of a source with a date is one event of its key.</summary>
/// <param name="Source">The source id.</param>
/// <param name="Event">The event's name, such as <c>deregistered</c>.</param>
/// <param name="DateColumn">The source dataset's date column dating the event.</param>
/// <param name="Where">Conditions selecting the rows (besides the source's own).</param>
/// <param name="After">A date column the event's date must be later than (such as a changed registration after establishment), or null.</param>
/// <param name="Line">The definition's line.</param>
public sealed record ThemeEvent(string Source, string Event, string DateColumn, IReadOnlyList<ThemeCondition> Where, string? After, int Line);

/// <summary>
/// One way a source row names a key: the key column and the fields it supplies for that key. A marriage registration
/// has two (the husband's and the wife's number, each with their name); most sources one.
/// </summary>
/// <param name="KeyColumn">The dataset's column holding the key.</param>
/// <param name="Fields">Theme field → how its value is read.</param>
/// <param name="Where">Conditions for this role only (besides the source's own).</param>
public sealed record ThemeSourceRole(string KeyColumn, IReadOnlyDictionary<string, ThemeValue> Fields, IReadOnlyList<ThemeCondition> Where);

/// <summary>
/// How a source gives a field's value: one column (optionally translated by a map — values the map does not list give
/// no candidate), several columns joined by spaces, or a constant.
/// </summary>
/// <param name="Column">The column, or null.</param>
/// <param name="Concat">Columns joined by single spaces (empty unless used).</param>
/// <param name="Map">Source value → the theme's value, or null for the value as it is.</param>
/// <param name="Constant">A constant value, or null.</param>
public sealed record ThemeValue(string? Column, IReadOnlyList<string> Concat, IReadOnlyDictionary<string, string>? Map, string? Constant)
{
    /// <summary>The value of a column as it is.</summary>
    /// <param name="column">The column.</param>
    public static ThemeValue Of(string column) => new(column, [], null, null);

    /// <summary>The columns read.</summary>
    public IEnumerable<string> Columns => Column is null ? Concat : [Column];

    /// <summary>How it reads, for people: <c>status (mapped)</c>, <c>name + birth_date</c>, <c>'死亡'</c>.</summary>
    public override string ToString() => Constant is not null ? $"'{Constant}'" : Column is null ? string.Join(" + ", Concat) : Map is null ? Column : Column + " (mapped)";
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
    string Id, string Dataset, string KeyColumn, string? ObservedAt, IReadOnlyDictionary<string, string> Fields, IReadOnlyList<ThemeCondition> Where, int Line)
{
    private readonly IReadOnlyList<ThemeSourceRole>? _roles;

    /// <summary>
    /// The keys each row names and the fields it supplies for each (<c>each:</c> in the definition); by default one:
    /// <see cref="KeyColumn"/> with <see cref="Fields"/> read as plain columns.
    /// </summary>
    public IReadOnlyList<ThemeSourceRole> Roles
    {
        get => _roles ?? [new ThemeSourceRole(KeyColumn, Fields.ToDictionary(f => f.Key, f => ThemeValue.Of(f.Value), StringComparer.Ordinal), [])];
        init => _roles = value;
    }

    /// <summary>
    /// Another (earlier) source of the theme whose keys resolve this source's old 15-character taxpayer numbers: such a
    /// number stands for the credit code whose characters 3–17 it is, when exactly one of that source's keys has them.
    /// </summary>
    public string? OldNumbersFrom { get; init; }

    /// <summary>Every dataset column the source reads.</summary>
    public IEnumerable<string> ColumnsRead =>
        Roles.SelectMany(r => r.Fields.Values.SelectMany(v => v.Columns).Append(r.KeyColumn).Concat(r.Where.Select(w => w.Column)))
            .Concat(ObservedAt is null ? [] : [ObservedAt]).Concat(Where.Select(w => w.Column)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
}

/// <summary>A condition of a source: the column's value is one of these (an empty string: the column is blank or NULL).</summary>
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
public sealed record ThemeField(string Name, string Type, ThemePick Pick, IReadOnlyList<string> Priority, bool Conflicts, int Line)
{
    /// <summary>
    /// For an address field: the prefix of the columns that link the golden record to the standard address library
    /// (<c>standard_address: address</c> gives <c>address_code</c>, <c>address_match_level</c>, <c>address_confidence</c>,
    /// <c>address_county</c>, <c>address_township</c>, <c>address_community</c>), or null when the field is not geocoded.
    /// </summary>
    public string? StandardAddress { get; init; }

    /// <summary>The link columns a geocoded field adds (none when <see cref="StandardAddress"/> is null), in table order.</summary>
    public IReadOnlyList<(string Name, string Type, string Part)> LinkColumns => StandardAddress is not { } p
        ? []
        : [(p + "_code", "VARCHAR", "code"), (p + "_match_level", "VARCHAR", "level"), (p + "_confidence", "DOUBLE", "confidence"),
           (p + "_county", "VARCHAR", "county"), (p + "_township", "VARCHAR", "township"), (p + "_community", "VARCHAR", "community")];
}
