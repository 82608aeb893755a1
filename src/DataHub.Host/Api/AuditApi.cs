using DataHub.Catalog.Audit;
using DataHub.Exchange.Identity;
using DataHub.Host.Platform;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DataHub.Host.Api;

/// <summary><c>GET /api/v1/audit/verify</c>: recompute the exchange's audit chain.</summary>
/// <remarks>For the data bureau's administrator (role bureau_admin).</remarks>
public static class AuditApi
{
    /// <summary>Maps the endpoint.</summary>
    public static IEndpointRouteBuilder MapAuditApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/audit/verify", VerifyAsync).WithName("VerifyAudit").WithTags("Audit")
            .WithSummary("Recomputes the audit log's hash chain; names the first broken row (seq and reason) if any. bureau_admin.")
            .RequireAuthorization(ExchangeRoles.BureauAdmin);
        return app;
    }

    private static async Task<Ok<AuditVerifyReport>> VerifyAsync(DataHubPlatform platform, CancellationToken ct)
    {
        var result = await platform.Audit.VerifyAsync(ct);
        return TypedResults.Ok(new AuditVerifyReport(result.Intact, result.Rows, result.FirstBroken, result.Head));
    }
}
