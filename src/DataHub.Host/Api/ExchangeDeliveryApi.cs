using System.Globalization;
using System.Security.Claims;
using System.Text.RegularExpressions;
using DataHub.Exchange.Delivery;
using DataHub.Exchange.Identity;
using DataHub.Exchange.Requests;
using DataHub.Host.Auth;
using DataHub.Host.Platform;
using Microsoft.Net.Http.Headers;

namespace DataHub.Host.Api;

/// <summary>
/// Delivery under a grant: <c>POST /api/v1/exchange/grants/{id}/query</c> (a page as JSON) and
/// <c>GET /api/v1/exchange/grants/{id}/export?format=parquet|csv|json</c> (streamed), both for analysts of the
/// grant's department, both through the grant's masked, filtered view; <c>GET …/grants/{id}/deliveries</c> lists what
/// left under a grant with rows, bytes and checksums.
/// </summary>
public static partial class ExchangeDeliveryApi
{
    /// <summary>Maps the endpoints.</summary>
    public static IEndpointRouteBuilder MapExchangeDeliveryApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/exchange/grants").WithTags("Exchange");
        group.MapPost("/{id:long}/query", QueryAsync).WithName("QueryGrant").RequireAuthorization(ExchangeRoles.Analyst)
            .WithSummary("A page of the grant's rows: granted columns only (masked by grade), the grant's row filter always applied, the caller's own conditions bound as parameters; limit 1–1000.");
        group.MapGet("/{id:long}/export", ExportAsync).WithName("ExportGrant").RequireAuthorization(ExchangeRoles.Analyst)
            .WithSummary("The whole grant streamed as parquet, csv or json (newline-delimited); recorded with row count and SHA-256 of the bytes sent (see deliveries).");
        app.MapGet("/api/v1/exchange/verify/citizen/{idNumber}", (string idNumber, ClaimsPrincipal user, DataHubPlatform platform, CancellationToken ct, long? grant) =>
                VerifyAsync(false, idNumber, grant, user, platform, ct))
            .WithName("VerifyCitizen").WithTags("Exchange").RequireAuthorization(ExchangeRoles.Analyst)
            .WithSummary("Does this person exist in a verification grant's data (GB 11643 number checked first), with the granted fields, masked. ?grant= picks the grant when the department holds several.");
        app.MapGet("/api/v1/exchange/verify/entity/{creditCode}", (string creditCode, ClaimsPrincipal user, DataHubPlatform platform, CancellationToken ct, long? grant) =>
                VerifyAsync(true, creditCode, grant, user, platform, ct))
            .WithName("VerifyEntity").WithTags("Exchange").RequireAuthorization(ExchangeRoles.Analyst)
            .WithSummary("Does this legal entity exist in a verification grant's data (GB 32100 code checked first), with the granted fields.");
        group.MapGet("/{id:long}/deliveries", DeliveriesAsync).WithName("GrantDeliveries").RequireAuthorization(ExchangeAuth.Caller)
            .WithSummary("What left under a grant: each query and export with rows, bytes, SHA-256, masking and status.");
        return app;
    }

    private static async Task<IResult> QueryAsync(long id, GrantQueryBody body, ClaimsPrincipal user, DataHubPlatform platform, CancellationToken ct)
    {
        var query = new GrantQuery(body.Columns ?? [], RowFilterBody.ToFilters(body.Filters), body.Offset ?? 0, body.Limit ?? 100);
        try
        {
            return TypedResults.Ok(await platform.Exchange.Delivery.QueryAsync(ExchangeActors.From(user), id, query, ct));
        }
        catch (ExchangeRefusedException e)
        {
            return ExchangeProblems.From(e);
        }
    }

    internal static async Task ExportAsync(HttpContext context, long id, ClaimsPrincipal user, DataHubPlatform platform, string? format = null, string? name = null)
    {
        var ct = context.RequestAborted;
        var actor = ExchangeActors.From(user);
        var delivery = platform.Exchange.Delivery;
        GrantRecord grant;
        CompiledGrant view;
        try
        {
            format ??= "parquet";
            if (!ExportFormat.All.Contains(format))
            {
                await delivery.DenyAsync(actor, "grant.export", id, $"format: '{Clip(format)}' is not one of {string.Join(", ", ExportFormat.All)}", ExchangeRefusal.Invalid, ct);
            }

            if (name is not null && !SafeFileName().IsMatch(name))
            {
                await delivery.DenyAsync(actor, "grant.export", id,
                    $"name: '{Clip(name)}' is not a plain file name (letters, digits, '.', '_', '-'; no path, at most 100 characters)", ExchangeRefusal.Invalid, ct);
            }

            (grant, view) = await delivery.AuthorizeAsync(actor, id, GrantUse.Export, ct);
        }
        catch (ExchangeRefusedException e)
        {
            await ExchangeProblems.From(e).ExecuteAsync(context);
            return;
        }

        var file = name is null
            ? string.Create(CultureInfo.InvariantCulture, $"grant-{grant.Id}-snapshot-{view.SnapshotId}.{ExportFormat.Extension(format)}")
            : name;
        context.Response.ContentType = ExportFormat.MediaType(format);
        context.Response.Headers[HeaderNames.ContentDisposition] = new ContentDispositionHeaderValue("attachment") { FileName = file }.ToString();
        context.Response.Headers["X-DataHub-Snapshot"] = view.SnapshotId.ToString(CultureInfo.InvariantCulture);
        context.Response.Headers["X-DataHub-Masked"] = view.Masked ? "true" : "false";
        try
        {
            await delivery.ExportAsync(actor, grant, view, format, context.Response.Body, ct);
        }
        catch (Exception) when (ct.IsCancellationRequested)
        {
            // The client went away; the delivery is recorded as aborted.
        }
        catch (Exception)
        {
            // The status line has gone; abort the connection so the client sees a broken transfer, not a short file.
            context.Abort();
        }
    }

    private static async Task<IResult> DeliveriesAsync(long id, ClaimsPrincipal user, DataHubPlatform platform, CancellationToken ct)
    {
        if (await platform.Exchange.Grants.GetAsync(id, ct) is not { } grant || !ExchangeRequestsApi.MaySee(ExchangeActors.From(user), grant, platform))
        {
            return TypedResults.Problem($"There is no grant {id} you may see.", statusCode: StatusCodes.Status404NotFound, title: "Not found");
        }

        return TypedResults.Ok(await platform.Exchange.Delivery.ListDeliveriesAsync(id, ct));
    }

    private static async Task<IResult> VerifyAsync(bool creditCode, string value, long? grant, ClaimsPrincipal user, DataHubPlatform platform, CancellationToken ct)
    {
        try
        {
            return TypedResults.Ok(await platform.Exchange.Verifier.VerifyAsync(ExchangeActors.From(user), creditCode, value, grant, ct));
        }
        catch (ExchangeRefusedException e)
        {
            return ExchangeProblems.From(e);
        }
    }

    private static string Clip(string text) => text.Length > 64 ? text[..64] + "…" : text;

    [GeneratedRegex(@"\A(?!\.)[A-Za-z0-9._-]{1,100}\z")]
    private static partial Regex SafeFileName();
}
