using System.Text.Json.Serialization;

namespace DataHub.Catalog.Audit;

/// <summary>Why verification stopped trusting the chain at a row.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AuditBreakReason>))]
public enum AuditBreakReason
{
    /// <summary>The row's fields no longer hash to its stored hash: the row was changed.</summary>
    [JsonStringEnumMemberName("hash-mismatch")]
    HashMismatch,

    /// <summary>
    /// The row's prev_hash is not the hash of the row before it: a row before it was deleted, rows were reordered,
    /// or prev_hash itself was edited.
    /// </summary>
    [JsonStringEnumMemberName("prev-hash-mismatch")]
    PrevHashMismatch,

    /// <summary>The row links to the one before it, but its sequence number does not follow: it was renumbered.</summary>
    [JsonStringEnumMemberName("seq-gap")]
    SeqGap,
}
