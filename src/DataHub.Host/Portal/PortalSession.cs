using System.Net;

namespace DataHub.Host.Portal;

/// <summary>
/// The portal's sign-in session: the signed-in user's short-lived API key in an HttpOnly, SameSite=Strict cookie,
/// read only on portal paths (everything outside <c>/api</c>, <c>/openapi</c> and <c>/health</c>).
/// </summary>
public static class PortalSession
{
    /// <summary>The session cookie.</summary>
    public const string CookieName = "datahub_session";

    /// <summary>How long a sign-in lasts (the session key's lifetime).</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(8);

    /// <summary>Whether a path belongs to the portal (and may be authenticated by the session cookie).</summary>
    public static bool IsPortalPath(PathString path) =>
        !path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase)
        && !path.StartsWithSegments("/openapi", StringComparison.OrdinalIgnoreCase)
        && !path.StartsWithSegments("/health", StringComparison.OrdinalIgnoreCase);

    /// <summary>Stores a session key in the cookie.</summary>
    public static void Set(HttpContext context, string key, DateTimeOffset? expires)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.Cookies.Append(CookieName, key, Options(context, expires));
    }

    /// <summary>Drops the cookie.</summary>
    public static void Clear(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.Cookies.Delete(CookieName, Options(context, null));
    }

    /// <summary>The sign-in page's address, returning to the current page afterwards.</summary>
    public static string LoginUrl(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var back = request.Path + request.QueryString;
        return back is "/" or "" ? "/login" : "/login?returnUrl=" + Uri.EscapeDataString(back);
    }

    /// <summary>The id part of a key's text (<c>dhk_&lt;id&gt;_…</c>), or null.</summary>
    public static string? KeyIdOf(string? key) =>
        key is { Length: > 17 } && key.StartsWith("dhk_", StringComparison.Ordinal) && key[16] == '_' ? key[4..16] : null;

    /// <summary>Whether a return address is a path of this site (never another host, never a scheme-relative URL).</summary>
    public static bool IsLocal(string? url) =>
        !string.IsNullOrEmpty(url) && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'))
        && !url.Contains('\r', StringComparison.Ordinal) && !url.Contains('\n', StringComparison.Ordinal);

    /// <summary>Writes the short page a signed-in user sees for a page the role may not see.</summary>
    public static async Task WriteForbiddenPageAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var english = PortalText.IsEnglish(context);
        context.Response.ContentType = "text/html; charset=utf-8";
        var title = english ? "Not allowed" : "无权访问";
        var text = english ? "Your role may not see this page." : "您的角色无权查看此页面。";
        var home = english ? "Home" : "返回首页";
        await context.Response.WriteAsync(
            $"<!DOCTYPE html><html lang=\"{(english ? "en" : "zh-CN")}\"><head><meta charset=\"utf-8\"><title>403 {title}</title>" +
            "<link rel=\"stylesheet\" href=\"/assets/portal.css\"></head><body><main class=\"narrow\">" +
            $"<h1>403 · {title}</h1><p>{text}</p><p>{WebUtility.HtmlEncode(context.Request.Path.Value)}</p><p><a href=\"/\">{home}</a></p></main></body></html>");
    }

    private static CookieOptions Options(HttpContext context, DateTimeOffset? expires) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = context.Request.IsHttps,
        Path = "/",
        Expires = expires,
        IsEssential = true,
    };
}
