using System.Text.Json.Serialization;

namespace DataHub.Catalog.Audit;

/// <summary>The first row at which the audit chain does not hold.</summary>
/// <param name="Seq">The row's sequence number as stored now.</param>
/// <param name="Reason">Which check failed.</param>
/// <param name="Description">What that means for this row, in words (names the missing rows of a deletion).</param>
public sealed record AuditBreak(long Seq, AuditBreakReason Reason, string Description)
{
    /// <summary>The reason as written in JSON and by the CLI: <c>hash-mismatch</c>, <c>prev-hash-mismatch</c>, <c>seq-gap</c>.</summary>
    [JsonIgnore]
    public string ReasonCode => Reason switch
    {
        AuditBreakReason.HashMismatch => "hash-mismatch",
        AuditBreakReason.PrevHashMismatch => "prev-hash-mismatch",
        _ => "seq-gap",
    };
}
