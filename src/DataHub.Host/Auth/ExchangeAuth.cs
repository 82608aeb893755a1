using DataHub.Exchange.Identity;
using Microsoft.AspNetCore.Authentication;

namespace DataHub.Host.Auth;

/// <summary>The authentication scheme and the authorization policies of the exchange's API.</summary>
/// <remarks>
/// One policy per role, named as the role: <c>requester</c>, <c>approver</c>, <c>bureau_admin</c>, <c>analyst</c>
/// (see <see cref="ExchangeRoles"/>), plus <see cref="Caller"/> for any authenticated key. Endpoints without
/// <c>RequireAuthorization</c> stay anonymous.
/// </remarks>
public static class ExchangeAuth
{
    /// <summary>The scheme name: bearer API keys (<c>Authorization: Bearer dhk_…</c>).</summary>
    public const string Scheme = "DataHubApiKey";

    /// <summary>The policy any authenticated caller satisfies.</summary>
    public const string Caller = "caller";

    /// <summary>Registers the scheme (as the default) and the policies.</summary>
    public static IServiceCollection AddExchangeAuth(this IServiceCollection services)
    {
        services.AddAuthentication(Scheme).AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(Scheme, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(Caller, p => p.AddAuthenticationSchemes(Scheme).RequireAuthenticatedUser())
            .AddPolicy(ExchangeRoles.Requester, p => p.AddAuthenticationSchemes(Scheme).RequireRole(ExchangeRoles.Requester))
            .AddPolicy(ExchangeRoles.Approver, p => p.AddAuthenticationSchemes(Scheme).RequireRole(ExchangeRoles.Approver))
            .AddPolicy(ExchangeRoles.BureauAdmin, p => p.AddAuthenticationSchemes(Scheme).RequireRole(ExchangeRoles.BureauAdmin))
            .AddPolicy(ExchangeRoles.Analyst, p => p.AddAuthenticationSchemes(Scheme).RequireRole(ExchangeRoles.Analyst));
        return services;
    }
}
