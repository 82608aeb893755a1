namespace DataHub.Exchange.Delivery;

/// <summary>What an export sent.</summary>
/// <param name="Rows">Rows written by COPY.</param>
/// <param name="Bytes">Bytes sent.</param>
/// <param name="Sha256">The SHA-256 of exactly the bytes sent.</param>
public sealed record ExportReceipt(long Rows, long Bytes, byte[] Sha256);
