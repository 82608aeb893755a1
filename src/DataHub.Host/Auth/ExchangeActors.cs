using System.Security.Claims;
using DataHub.Exchange.Requests;

namespace DataHub.Host.Auth;

/// <summary>The exchange actor an authenticated API key stands for.</summary>
public static class ExchangeActors
{
    /// <summary>The actor of an authenticated principal: its department, its user (or <c>key:&lt;id&gt;</c>) and its roles.</summary>
    /// <param name="principal">The authenticated caller.</param>
    public static ExchangeActor From(ClaimsPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        var department = principal.FindFirstValue(ApiKeyClaims.Department)
            ?? throw new InvalidOperationException("The caller is not authenticated by an exchange API key.");
        var user = principal.FindFirstValue(ApiKeyClaims.User) ?? "key:" + principal.FindFirstValue(ApiKeyClaims.KeyId);
        return new ExchangeActor(department, user, principal.FindAll(ClaimTypes.Role).Select(c => c.Value).ToHashSet(StringComparer.Ordinal));
    }
}
