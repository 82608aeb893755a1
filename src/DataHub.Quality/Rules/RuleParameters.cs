namespace DataHub.Quality.Rules;

/// <summary>The settings of a rule; which ones apply depends on its kind.</summary>
public sealed record RuleParameters
{
    /// <summary>not_null: text values that count as missing (trimmed, compared exactly).</summary>
    public IReadOnlyList<string> MissingMarkers { get; init; } = ["", "NULL", "null", "\\N", "无", "N/A"];

    /// <summary>in_code_set: the allowed codes.</summary>
    public IReadOnlyList<string> Codes { get; init; } = [];

    /// <summary>format: a regular expression the whole value must match (RE2 syntax, as DuckDB uses).</summary>
    public string? Pattern { get; init; }

    /// <summary>length and range: the inclusive lower bound (a number for length; a SQL literal value for range).</summary>
    public string? Min { get; init; }

    /// <summary>length and range: the inclusive upper bound.</summary>
    public string? Max { get; init; }

    /// <summary>check_digit: <c>gb11643</c> (citizen ID) or <c>gb32100</c> (unified social credit code).</summary>
    public string? Algorithm { get; init; }

    /// <summary>expression: a SQL condition over the table's columns that every row must satisfy.</summary>
    public string? Condition { get; init; }

    /// <summary>
    /// foreign_key: the SELECT yielding the allowed values (one column), e.g. a lake table scan. reconcile: the SELECT
    /// of the other dataset (all its columns). Declared as <c>schema.table.column</c> and <c>schema.table</c>, and
    /// replaced by the SQL when the rule is bound.
    /// </summary>
    public string? ReferenceSql { get; init; }

    /// <summary>reconcile: the other dataset, the key to join on and the fields that must agree.</summary>
    public ReconcileSettings? Reconcile { get; init; }

    /// <summary>row_count: the largest change, in percent of the previous snapshot's rows, that passes.</summary>
    public double? MaxChangePercent { get; init; }

    /// <summary>freshness: the oldest acceptable age (null: from the dataset's update cycle).</summary>
    public TimeSpan? MaxAge { get; init; }

    /// <summary>unique: whether rows with a NULL in the key take part (false: they are skipped, as SQL UNIQUE does).</summary>
    public bool NullsAreKeys { get; init; }
}
