namespace DataHub.Exchange.Demands;

/// <summary>One state change of a demand, its posting included.</summary>
/// <param name="At">When (UTC, the database's clock).</param>
/// <param name="Actor">Who acted.</param>
/// <param name="Department">The actor's department.</param>
/// <param name="Action">posted, assigned, started, fulfilled, declined or withdrawn.</param>
/// <param name="FromStatus">The state before; null for posted.</param>
/// <param name="ToStatus">The state after.</param>
/// <param name="Provider">For assigned: the provider.</param>
/// <param name="DueDate">For assigned: the due date, if any.</param>
/// <param name="Dataset">For fulfilled: the dataset.</param>
/// <param name="Note">For declined: the reason; otherwise the note given, if any.</param>
/// <param name="AuditSeq">The audit log row written with the change.</param>
public sealed record DemandEvent(
    DateTime At,
    string Actor,
    string Department,
    string Action,
    string? FromStatus,
    string ToStatus,
    string? Provider,
    DateOnly? DueDate,
    string? Dataset,
    string? Note,
    long AuditSeq);
