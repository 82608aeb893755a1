using System.Globalization;
using DataHub.Exchange.Identity;
using DataHub.Host.Api;
using DataHub.Host.Auth;
using DataHub.Host.Platform;
using DataHub.Host.Reports;
using DataHub.Quality.Service;

namespace DataHub.Host.Portal;

/// <summary>
/// The web portal: Razor Pages under <c>Portal/Pages</c>, served by <c>datahub serve</c> beside the API, with its
/// scripts (htmx, ECharts, cytoscape + dagre from <c>node_modules</c>) and style served from this process — no CDN.
/// </summary>
public static class PortalSetup
{
    /// <summary>The static files the portal serves, by the name in <c>/assets/{name}</c> (nothing else is served).</summary>
    private static readonly Dictionary<string, (string Path, string Type)> Assets = new(StringComparer.Ordinal)
    {
        ["htmx.min.js"] = ("node_modules/htmx.org/dist/htmx.min.js", "text/javascript"),
        ["echarts.min.js"] = ("node_modules/echarts/dist/echarts.min.js", "text/javascript"),
        ["cytoscape.min.js"] = ("node_modules/cytoscape/dist/cytoscape.min.js", "text/javascript"),
        ["cytoscape-dagre.min.js"] = ("node_modules/cytoscape-dagre/dist/cytoscape-dagre.min.js", "text/javascript"),
        ["portal.css"] = ("src/DataHub.Host/Portal/assets/portal.css", "text/css"),
        ["portal.js"] = ("src/DataHub.Host/Portal/assets/portal.js", "text/javascript"),
    };

    /// <summary>Registers Razor Pages (every page needs a signed-in user unless marked otherwise) and antiforgery.</summary>
    public static IServiceCollection AddPortal(this IServiceCollection services, DataHubPlatform platform)
    {
        services.AddRazorPages(o =>
        {
            o.RootDirectory = "/Portal/Pages";
            o.Conventions.AuthorizeFolder("/", ExchangeAuth.Caller);
        });
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "datahub_af";
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.HttpOnly = true;
            o.FormFieldName = "__af";
        });
        services.AddSingleton(_ => QualityServiceFactory.Create(platform));
        return services;
    }

    /// <summary>Security headers for portal pages: no framing, no sniffing, scripts only from this origin.</summary>
    public static IApplicationBuilder UsePortalHeaders(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (PortalSession.IsPortalPath(context.Request.Path))
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "same-origin";
            // The bulletin is a self-contained report page with its chart script inline; every other page loads scripts from /assets only.
            if (!context.Request.Path.StartsWithSegments("/quality/bulletin", StringComparison.OrdinalIgnoreCase))
            {
                headers.ContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'";
            }
        }

        await next(context);
    });

    /// <summary>Maps the pages, the assets, the language toggle, the bulletin and the portal's export downloads.</summary>
    public static IEndpointRouteBuilder MapPortal(this IEndpointRouteBuilder app, DataHubPlatform platform)
    {
        app.MapRazorPages();
        app.MapGet("/assets/{name}", (string name, HttpContext context) =>
        {
            if (!Assets.TryGetValue(name, out var asset))
            {
                return Results.NotFound();
            }

            var path = Path.Combine(platform.Settings.Root, asset.Path);
            context.Response.Headers.CacheControl = "public, max-age=3600";
            return File.Exists(path) ? Results.File(path, asset.Type + "; charset=utf-8") : Results.NotFound();
        }).AllowAnonymous().ExcludeFromDescription();
        app.MapGet("/lang/{code}", (string code, string? back, HttpContext context) =>
        {
            context.Response.Cookies.Append(PortalText.CookieName, code == "en" ? "en" : "zh", new CookieOptions
            {
                HttpOnly = true, SameSite = SameSiteMode.Lax, Path = "/", MaxAge = TimeSpan.FromDays(365), IsEssential = true,
            });
            return Results.Redirect(PortalSession.IsLocal(back) ? StripLang(back!) : "/");
        }).AllowAnonymous().ExcludeFromDescription();
        app.MapGet("/quality/bulletin/{year:int}/{month:int}", async (int year, int month, QualityService quality, CancellationToken ct) =>
        {
            if (month is < 1 or > 12 || year is < 2000 or > 2100)
            {
                return Results.NotFound();
            }

            var echarts = Path.Combine(platform.Settings.Root, Assets["echarts.min.js"].Path);
            var html = BulletinHtml.Render(await quality.BulletinAsync(year, month, ct), await File.ReadAllTextAsync(echarts, ct));
            return Results.Content(html, "text/html; charset=utf-8");
        }).RequireAuthorization(ExchangeAuth.Caller).ExcludeFromDescription();
        app.MapGet("/quality/bulletin/{year:int}/{month:int}/pdf", async (int year, int month, CancellationToken ct) =>
        {
            if (month is < 1 or > 12 || year is < 2000 or > 2100)
            {
                return Results.NotFound();
            }

            var written = await BulletinWriter.WriteAsync(platform, year, month, ct);
            return Results.File(written.Pdf, "application/pdf", string.Create(CultureInfo.InvariantCulture, $"datahub-bulletin-{year}-{month:00}.pdf"));
        }).RequireAuthorization(ExchangeAuth.Caller).ExcludeFromDescription();
        // The grantee's export from the portal: the same handler, checks and audit as /api/v1/exchange/grants/{id}/export.
        app.MapGet("/grants/{id:long}/export", ExchangeDeliveryApi.ExportAsync).RequireAuthorization(ExchangeRoles.Analyst).ExcludeFromDescription();
        return app;
    }

    /// <summary>Drops a <c>lang=</c> parameter from a return address, so the cookie decides afterwards.</summary>
    private static string StripLang(string url)
    {
        var q = url.IndexOf('?', StringComparison.Ordinal);
        if (q < 0)
        {
            return url;
        }

        var kept = url[(q + 1)..].Split('&').Where(p => !p.StartsWith("lang=", StringComparison.Ordinal)).ToList();
        return kept.Count == 0 ? url[..q] : url[..q] + "?" + string.Join('&', kept);
    }
}
