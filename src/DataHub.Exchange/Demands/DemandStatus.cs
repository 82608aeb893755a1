namespace DataHub.Exchange.Demands;

/// <summary>The states of a data demand, as stored (see <see cref="DemandService"/> for the transitions).</summary>
public static class DemandStatus
{
    /// <summary>Posted; waiting for the bureau to assign a provider.</summary>
    public const string Open = "open";

    /// <summary>The bureau named the providing department; it has not started yet (the bureau may reassign).</summary>
    public const string Assigned = "assigned";

    /// <summary>The provider is working on it.</summary>
    public const string InProgress = "in_progress";

    /// <summary>A catalogued dataset of the provider meets it. Final.</summary>
    public const string Fulfilled = "fulfilled";

    /// <summary>The provider or the bureau declined it, with reasons. Final.</summary>
    public const string Declined = "declined";

    /// <summary>The requesting department withdrew it. Final.</summary>
    public const string Withdrawn = "withdrawn";

    /// <summary>Every state, in the order of the life of a demand.</summary>
    public static IReadOnlyList<string> All { get; } = [Open, Assigned, InProgress, Fulfilled, Declined, Withdrawn];

    /// <summary>Whether no action leaves the state.</summary>
    /// <param name="status">A state.</param>
    public static bool IsFinal(string status) => status is Fulfilled or Declined or Withdrawn;
}
