using System.Security.Claims;
using System.Text.Encodings.Web;
using System.Text.Json.Nodes;
using DataHub.Catalog.Audit;
using DataHub.Exchange.Identity;
using DataHub.Host.Platform;
using DataHub.Host.Portal;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace DataHub.Host.Auth;

/// <summary>
/// Authenticates <c>Authorization: Bearer dhk_…</c> against <see cref="IdentityStore"/>, and answers a refused call
/// with 401 or 403 and an <c>auth.denied</c> audit entry (reason and path, never the presented key).
/// </summary>
/// <remarks>
/// Portal pages (any path outside <c>/api</c>, see <see cref="PortalSession"/>) also accept the signed-in user's key
/// from the HttpOnly, SameSite=Strict session cookie; the API never reads that cookie, so a cross-site page cannot
/// spend a session on the API. A page that needs a sign-in redirects to <c>/login</c> instead of answering 401, and a
/// page the role may not see answers 403 with a short HTML page; both are audited like API refusals.
/// </remarks>
/// <remarks>
/// A request without an Authorization header is simply unauthenticated: anonymous endpoints serve it, protected
/// ones challenge it (reason <c>missing</c>). A header that is not a bearer key, or a key that does not check out,
/// fails authentication with the store's reason (<c>malformed</c>, <c>unknown</c>, <c>wrong-secret</c>,
/// <c>expired</c>, <c>revoked</c>, <c>user-inactive</c>); the response says only <c>invalid_token</c>.
/// </remarks>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, DataHubPlatform platform)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    private ApiKeyAuthentication? _outcome;

    /// <inheritdoc />
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? token = null;
        if (!Request.Headers.TryGetValue("Authorization", out var values) || values.Count == 0)
        {
            if (!PortalSession.IsPortalPath(Request.Path) || !Request.Cookies.TryGetValue(PortalSession.CookieName, out token))
            {
                return AuthenticateResult.NoResult();
            }
        }
        else
        {
            var header = values.Count == 1 ? values[0] ?? string.Empty : string.Empty;
            token = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : null;
        }

        _outcome = await platform.Identity.AuthenticateAsync(token, Context.RequestAborted);
        if (_outcome.Caller is not { } caller)
        {
            return AuthenticateResult.Fail(_outcome.FailureCode!);
        }

        var claims = new List<Claim>
        {
            new(ClaimTypes.Name, caller.User ?? "key:" + caller.KeyId),
            new(ApiKeyClaims.KeyId, caller.KeyId),
            new(ApiKeyClaims.Department, caller.Department),
        };
        if (caller.User is { } user)
        {
            claims.Add(new Claim(ApiKeyClaims.User, user));
        }

        claims.AddRange(caller.Roles.Select(r => new Claim(ClaimTypes.Role, r)));
        var identity = new ClaimsIdentity(claims, Scheme.Name, ClaimTypes.Name, ClaimTypes.Role);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name));
    }

    /// <inheritdoc />
    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        await HandleAuthenticateOnceSafeAsync();
        var reason = _outcome?.FailureCode ?? "missing";
        await AuditAsync(_outcome?.KeyId, _outcome?.Department, reason, roles: null);
        if (PortalSession.IsPortalPath(Request.Path))
        {
            // A session that no longer works (expired, revoked, user disabled) is dropped with the redirect.
            if (_outcome is not null)
            {
                PortalSession.Clear(Context);
            }

            Response.Redirect(PortalSession.LoginUrl(Request));
            return;
        }

        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = reason == "missing"
            ? "Bearer realm=\"datahub\""
            : "Bearer realm=\"datahub\", error=\"invalid_token\"";
    }

    /// <inheritdoc />
    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        var principal = result.Principal;
        var roles = principal?.FindAll(ClaimTypes.Role).Select(c => c.Value).ToList() ?? [];
        await AuditAsync(principal?.FindFirst(ApiKeyClaims.KeyId)?.Value, principal?.FindFirst(ApiKeyClaims.Department)?.Value, "forbidden", roles);
        Response.StatusCode = StatusCodes.Status403Forbidden;
        if (PortalSession.IsPortalPath(Request.Path))
        {
            await PortalSession.WriteForbiddenPageAsync(Context);
        }
    }

    private async Task AuditAsync(string? keyId, string? department, string reason, IReadOnlyList<string>? roles)
    {
        var required = Context.GetEndpoint()?.Metadata.GetOrderedMetadata<IAuthorizeData>()
            .Select(a => a.Policy ?? a.Roles).Where(p => p is not null).ToList() ?? [];
        var detail = new JsonObject
        {
            ["reason"] = reason,
            ["method"] = Request.Method,
            ["path"] = Request.Path.Value,
            ["remote"] = Context.Connection.RemoteIpAddress?.ToString(),
        };
        if (required.Count > 0)
        {
            detail["required"] = new JsonArray([.. required.Select(p => JsonValue.Create(p))]);
        }

        if (roles is not null)
        {
            detail["roles"] = new JsonArray([.. roles.Select(r => JsonValue.Create(r))]);
        }

        RefusalAudit.MarkAudited(Context);
        var actor = keyId is null ? "anonymous" : "key:" + keyId;
        await platform.Audit.AppendAsync(
            new AuditEntry(actor, department, "auth.denied", Request.Path.Value, AuditOutcome.Denied, detail), CancellationToken.None);
    }
}
