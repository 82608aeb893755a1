namespace DataHub.Catalog.Audit;

/// <summary>Where an appended entry landed in the chain.</summary>
/// <param name="Seq">Its sequence number (1 for the first row, no gaps).</param>
/// <param name="At">When it was appended, by the database's clock, in UTC at microsecond precision.</param>
/// <param name="PrevHash">The hash of the row before it (64 zeros for the first), lower-case hex.</param>
/// <param name="Hash">Its own hash, lower-case hex.</param>
public sealed record AuditRecord(long Seq, DateTime At, string PrevHash, string Hash);
