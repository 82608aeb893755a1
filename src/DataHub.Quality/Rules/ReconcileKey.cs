namespace DataHub.Quality.Rules;

/// <summary>One key column pair; key values are matched exactly (a row with a NULL key part is not checked).</summary>
/// <param name="Column">The column here.</param>
/// <param name="OtherColumn">The column of the other dataset holding the same key part.</param>
/// <param name="Line">Where it is declared in its rule file (0 when not read from one), for error messages.</param>
public sealed record ReconcileKey(string Column, string OtherColumn, long Line = 0);
