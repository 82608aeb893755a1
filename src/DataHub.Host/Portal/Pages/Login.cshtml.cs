using DataHub.Host.Platform;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace DataHub.Host.Portal.Pages;

/// <summary>Sign-in: checks the user's password and keeps a new session key of theirs in the session cookie.</summary>
[AllowAnonymous]
public sealed class LoginModel(DataHubPlatform platform) : PortalPage(platform)
{
    /// <summary>Where to go after signing in (a path of this site).</summary>
    public string ReturnUrl { get; private set; } = "/";

    /// <summary>The name typed.</summary>
    public string? Name { get; private set; }

    /// <summary>Why the sign-in failed.</summary>
    public string? Error { get; private set; }

    /// <summary>Shows the form.</summary>
    public void OnGet(string? returnUrl) => ReturnUrl = PortalSession.IsLocal(returnUrl) ? returnUrl! : "/";

    /// <summary>Signs in.</summary>
    public async Task<IActionResult> OnPostAsync(string? name, string? password, string? returnUrl, CancellationToken ct)
    {
        ReturnUrl = PortalSession.IsLocal(returnUrl) ? returnUrl! : "/";
        Name = name;
        if (string.IsNullOrWhiteSpace(name) || string.IsNullOrEmpty(password))
        {
            Error = T["请输入用户名和密码。"];
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        var result = await Platform.Identity.SignInAsync(name, password, PortalSession.Lifetime, HttpContext.Connection.RemoteIpAddress?.ToString(), ct);
        if (result.Key is not { } key)
        {
            Error = result.Failure == "user-inactive" ? T["该用户已停用。"] : T["用户名或密码不正确。"];
            Response.StatusCode = StatusCodes.Status401Unauthorized;
            return Page();
        }

        PortalSession.Set(HttpContext, key.Secret, key.Key.ExpiresAt);
        return LocalRedirect(ReturnUrl);
    }
}
