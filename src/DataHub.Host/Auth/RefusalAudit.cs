using System.Security.Claims;
using System.Text.Json.Nodes;
using DataHub.Catalog.Audit;
using DataHub.Host.Platform;

namespace DataHub.Host.Auth;

/// <summary>
/// Makes sure every refused call to the exchange leaves an audit entry. Refusals decided by the exchange's services
/// and by authentication are audited where they are decided and mark the request as audited; anything else that ends
/// in 4xx under <c>/api/v1/exchange</c> — a body that is not JSON, a route value of the wrong type — is written here as
/// <c>request.rejected</c> with the status, method and path. The path is matched as routing matches it, ignoring case.
/// A JSON string escaping an unpaired surrogate (<c>"\ud800"</c>) makes System.Text.Json throw an
/// <see cref="InvalidOperationException"/> while the body is bound, which ASP.NET would answer with 500: under
/// <c>/api/v1/exchange</c> it is answered 400 (and audited) here.
/// </summary>
public static class RefusalAudit
{
    private const string AuditedKey = "datahub.audited";

    /// <summary>Marks the current request as audited (its refusal is already in the log).</summary>
    /// <param name="context">The request.</param>
    public static void MarkAudited(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Items[AuditedKey] = true;
    }

    /// <summary>Adds the middleware (after routing, before authentication).</summary>
    /// <param name="app">The application.</param>
    public static IApplicationBuilder UseRefusalAudit(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var exchange = context.Request.Path.StartsWithSegments("/api/v1/exchange", StringComparison.OrdinalIgnoreCase);
        try
        {
            await next(context);
        }
        catch (InvalidOperationException e) when (exchange && !context.Response.HasStarted
            && e.TargetSite?.DeclaringType?.Assembly == typeof(System.Text.Json.JsonSerializer).Assembly)
        {
            context.Response.Clear();
            await TypedResults.Problem("The body holds a JSON string that is not valid text (an unpaired surrogate).",
                statusCode: StatusCodes.Status400BadRequest, title: "Invalid body").ExecuteAsync(context);
        }

        if (context.Response.StatusCode is >= 400 and < 500
            && exchange
            && !context.Items.ContainsKey(AuditedKey))
        {
            var platform = context.RequestServices.GetRequiredService<DataHubPlatform>();
            var user = context.User;
            var actor = user.FindFirstValue(ApiKeyClaims.User) ?? (user.FindFirstValue(ApiKeyClaims.KeyId) is { } key ? "key:" + key : "anonymous");
            await platform.Audit.AppendAsync(new AuditEntry(actor, user.FindFirstValue(ApiKeyClaims.Department), "request.rejected", context.Request.Path.Value,
                AuditOutcome.Denied, new JsonObject
                {
                    ["status"] = context.Response.StatusCode,
                    ["method"] = context.Request.Method,
                    ["path"] = context.Request.Path.Value,
                }), CancellationToken.None);
        }
    });
}
