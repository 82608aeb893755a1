namespace DataHub.Quality.Rules;

/// <summary>Failures tolerated before a rule is breached: at most a count, at most a percentage of checked rows, or both.</summary>
/// <param name="MaxCount">Failing rows allowed (null: no count limit).</param>
/// <param name="MaxPercent">Failing rows allowed as a percentage of the rows checked (null: no percentage limit).</param>
public sealed record RuleThreshold(long? MaxCount = 0, double? MaxPercent = null)
{
    /// <summary>No failure tolerated.</summary>
    public static RuleThreshold Zero { get; } = new(0, null);

    /// <summary>True when the failures stay within the threshold.</summary>
    public bool Allows(long failed, long checkedRows) =>
        (MaxCount is not { } count || failed <= count)
        && (MaxPercent is not { } percent || checkedRows == 0 || failed * 100.0 / checkedRows <= percent);
}
