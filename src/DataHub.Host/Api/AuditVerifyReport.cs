using DataHub.Catalog.Audit;

namespace DataHub.Host.Api;

/// <summary>The answer of <c>GET /api/v1/audit/verify</c>.</summary>
/// <param name="Intact">Whether every row checked out.</param>
/// <param name="Rows">How many rows were checked.</param>
/// <param name="FirstBroken">The first broken row (seq, reason, description); null when intact.</param>
/// <param name="Head">The last row's hash (lower-case hex), to record elsewhere; null when the log is empty.</param>
public sealed record AuditVerifyReport(bool Intact, long Rows, AuditBreak? FirstBroken, string? Head);
