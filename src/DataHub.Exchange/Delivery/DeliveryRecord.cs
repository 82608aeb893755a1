namespace DataHub.Exchange.Delivery;

/// <summary>One delivery under a grant, as recorded.</summary>
/// <param name="Id">The delivery.</param>
/// <param name="Kind">query, export or verify.</param>
/// <param name="Format">json, csv or parquet.</param>
/// <param name="Actor">Who received it.</param>
/// <param name="Department">Their department.</param>
/// <param name="SnapshotId">The lake snapshot read.</param>
/// <param name="Columns">The columns delivered.</param>
/// <param name="Masked">Whether any of them was masked.</param>
/// <param name="Rows">Rows sent.</param>
/// <param name="Bytes">Bytes sent (exports).</param>
/// <param name="Sha256">SHA-256 of the bytes sent, hex (completed exports).</param>
/// <param name="Status">completed, failed or aborted.</param>
/// <param name="Error">What went wrong.</param>
/// <param name="StartedAt">When it started.</param>
/// <param name="FinishedAt">When it ended.</param>
public sealed record DeliveryRecord(
    Guid Id, string Kind, string Format, string Actor, string Department, long? SnapshotId, IReadOnlyList<string> Columns, bool Masked, long Rows,
    long Bytes, string? Sha256, string Status, string? Error, DateTimeOffset StartedAt, DateTimeOffset FinishedAt);
