namespace DataHub.Exchange.Demands;

/// <summary>Which demands to list (always within what the actor may see).</summary>
/// <param name="Status">Only demands in this state; null for all.</param>
/// <param name="Department">Only demands this department posted or is assigned; null for all.</param>
/// <param name="Limit">At most this many, newest first (1–<see cref="MaxLimit"/>).</param>
public sealed record DemandFilter(string? Status = null, string? Department = null, int Limit = DemandFilter.DefaultLimit)
{
    /// <summary>The default number listed.</summary>
    public const int DefaultLimit = 100;

    /// <summary>The most listed at once.</summary>
    public const int MaxLimit = 1000;
}
