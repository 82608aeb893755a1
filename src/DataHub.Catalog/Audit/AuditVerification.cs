namespace DataHub.Catalog.Audit;

/// <summary>The result of recomputing the audit chain.</summary>
/// <param name="Rows">How many rows were read and checked (all of them, also past a break).</param>
/// <param name="FirstBroken">The first row where the chain does not hold; null when it is intact.</param>
/// <param name="Head">
/// The stored hash of the last row (lower-case hex; null when the log is empty). Deleting rows from the end of the
/// log leaves an intact shorter chain; recording the head elsewhere from time to time is what detects that.
/// </param>
public sealed record AuditVerification(long Rows, AuditBreak? FirstBroken, string? Head)
{
    /// <summary>Whether every row checked out.</summary>
    public bool Intact => FirstBroken is null;
}
