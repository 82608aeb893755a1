using System.Security.Claims;
using DataHub.Exchange.Identity;
using DataHub.Host.Auth;
using DataHub.Host.Platform;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DataHub.Host.Api;

/// <summary>
/// The exchange's authenticated endpoints: <c>GET /api/v1/exchange/me</c> (any valid key) and
/// <c>GET /api/v1/exchange/keys</c> (the data bureau's administrator).
/// </summary>
public static class ExchangeApi
{
    /// <summary>Maps the endpoints.</summary>
    public static IEndpointRouteBuilder MapExchangeApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/exchange/me", Me).WithName("ExchangeMe").WithTags("Exchange")
            .WithSummary("The caller as the bearer key establishes it: department, user, roles, key id.")
            .RequireAuthorization(ExchangeAuth.Caller);
        app.MapGet("/api/v1/exchange/keys", ListKeysAsync).WithName("ExchangeKeys").WithTags("Exchange")
            .WithSummary("Every API key with its status (never a secret). Requires role bureau_admin.")
            .RequireAuthorization(ExchangeRoles.BureauAdmin);
        return app;
    }

    private static Ok<ExchangeCaller> Me(ClaimsPrincipal user) => TypedResults.Ok(new ExchangeCaller(
        user.FindFirstValue(ApiKeyClaims.Department)!,
        user.FindFirstValue(ApiKeyClaims.User),
        [.. user.FindAll(ClaimTypes.Role).Select(c => c.Value)],
        user.FindFirstValue(ApiKeyClaims.KeyId)!));

    private static async Task<Ok<IReadOnlyList<ApiKeyInfo>>> ListKeysAsync(DataHubPlatform platform, CancellationToken ct) =>
        TypedResults.Ok(await platform.Identity.ListApiKeysAsync(ct));
}
