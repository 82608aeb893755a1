namespace DataHub.Quality.Rules;

/// <summary>One field that must agree. NULL agrees with NULL only; text is compared after trimming spaces.</summary>
/// <param name="Column">The column here.</param>
/// <param name="OtherColumn">The column of the other dataset.</param>
/// <param name="Tolerance">Numbers: the largest absolute difference that still agrees.</param>
/// <param name="TolerancePercent">
/// Numbers: the largest difference that still agrees, in percent of the other dataset's value. With both
/// tolerances, a difference within either agrees.
/// </param>
/// <param name="Line">Where it is declared in its rule file (0 when not read from one), for error messages.</param>
public sealed record ReconcileField(string Column, string OtherColumn, decimal? Tolerance = null, decimal? TolerancePercent = null, long Line = 0);
