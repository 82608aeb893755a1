using DataHub.Host.Auth;
using DataHub.Host.Platform;
using Microsoft.AspNetCore.Mvc;

namespace DataHub.Host.Portal.Pages;

/// <summary>Sign-out: revokes the session key (it stops working everywhere at once) and drops the cookie.</summary>
public sealed class LogoutModel(DataHubPlatform platform) : PortalPage(platform)
{
    /// <summary>Signs out.</summary>
    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        // Only the key of this browser's session is revoked, never a bearer key sent to a page.
        if (User.FindFirst(ApiKeyClaims.KeyId)?.Value is { } keyId
            && Request.Cookies.TryGetValue(PortalSession.CookieName, out var session) && PortalSession.KeyIdOf(session) == keyId)
        {
            await Platform.Identity.RevokeApiKeyAsync(keyId, "portal:" + Actor.User, ct);
        }

        PortalSession.Clear(HttpContext);
        return Redirect("/login");
    }

    /// <summary>A GET does not sign out (a link or an image could otherwise do it); it goes home.</summary>
    public IActionResult OnGet() => Redirect("/");
}
