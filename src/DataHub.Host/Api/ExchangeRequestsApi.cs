using System.Globalization;
using System.Security.Claims;
using System.Text.Json.Nodes;
using DataHub.Catalog.Audit;
using DataHub.Exchange.Delivery;
using DataHub.Exchange.Identity;
using DataHub.Exchange.Requests;
using DataHub.Host.Auth;
using DataHub.Host.Platform;

namespace DataHub.Host.Api;

/// <summary>
/// Requests, decisions and grants over HTTP; the acting department, user and roles always come from the bearer key.
/// Refusals are problem details (400 invalid, 403 not allowed, 404 unknown, 409 wrong state) and are audited.
/// </summary>
public static class ExchangeRequestsApi
{
    /// <summary>Maps the endpoints.</summary>
    public static IEndpointRouteBuilder MapExchangeRequestsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/exchange").WithTags("Exchange");
        group.MapPost("/requests", FileAsync).WithName("FileExchangeRequest").RequireAuthorization(ExchangeRoles.Requester)
            .WithSummary("Files a request for a dataset (columns, structured row filter, purpose, legal basis, delivery, period) for the caller's department; unconditional data is granted at once, not-shareable data refused citing its legal basis.");
        group.MapGet("/requests", ListAsync).WithName("ListExchangeRequests").RequireAuthorization(ExchangeAuth.Caller)
            .WithSummary("Requests filed by or addressed to the caller's department (all for bureau_admin); ?status= narrows.");
        group.MapGet("/requests/{id:long}", GetAsync).WithName("GetExchangeRequest").RequireAuthorization(ExchangeAuth.Caller)
            .WithSummary("One request with its decisions.");
        group.MapPost("/requests/{id:long}/decision", DecideAsync).WithName("DecideExchangeRequest").RequireAuthorization(ExchangeAuth.Caller)
            .WithSummary("Approves or rejects (with reasons): first the providing department's approver, then for sensitivity level 3 a bureau_admin. Never one's own department's request.");
        group.MapPost("/requests/{id:long}/withdraw", WithdrawAsync).WithName("WithdrawExchangeRequest").RequireAuthorization(ExchangeRoles.Requester)
            .WithSummary("Withdraws an undecided request of the caller's department.");
        group.MapGet("/grants", ListGrantsAsync).WithName("ListGrants").RequireAuthorization(ExchangeAuth.Caller)
            .WithSummary("Grants for the caller's department or on data it provides (all for bureau_admin).");
        group.MapGet("/grants/{id:long}", GetGrantAsync).WithName("GetGrant").RequireAuthorization(ExchangeAuth.Caller)
            .WithSummary("One grant.");
        group.MapPost("/grants/{id:long}/revoke", RevokeAsync).WithName("RevokeGrant").RequireAuthorization(ExchangeAuth.Caller)
            .WithSummary("Revokes a grant at once (the provider's approver or a bureau_admin), with reasons.");
        return app;
    }

    private static async Task<IResult> FileAsync(ExchangeRequestBody body, ClaimsPrincipal user, DataHubPlatform platform, CancellationToken ct)
    {
        var draft = new ExchangeRequestDraft(
            body.Dataset ?? string.Empty, body.Columns ?? [], RowFilterBody.ToFilters(body.Filters), body.Purpose ?? string.Empty,
            body.LegalBasis ?? string.Empty, body.Delivery ?? string.Empty, body.PeriodFrom ?? default, body.PeriodUntil ?? default);
        try
        {
            var result = await platform.Exchange.Requests.FileAsync(ExchangeActors.From(user), draft, Today(), ct);
            return TypedResults.Created(string.Create(CultureInfo.InvariantCulture, $"/api/v1/exchange/requests/{result.RequestId}"), result);
        }
        catch (ExchangeRefusedException e)
        {
            return ExchangeProblems.From(e);
        }
    }

    private static async Task<IResult> ListAsync(ClaimsPrincipal user, DataHubPlatform platform, CancellationToken ct, string? status = null) =>
        TypedResults.Ok(await platform.Exchange.Requests.ListRequestsAsync(ExchangeActors.From(user), status, ct));

    private static async Task<IResult> GetAsync(long id, ClaimsPrincipal user, DataHubPlatform platform, CancellationToken ct) =>
        await platform.Exchange.Requests.GetRequestAsync(ExchangeActors.From(user), id, ct) is { } request
            ? TypedResults.Ok(request)
            : TypedResults.Problem($"There is no request {id} you may see.", statusCode: StatusCodes.Status404NotFound, title: "Not found");

    private static async Task<IResult> DecideAsync(long id, ExchangeDecisionBody body, ClaimsPrincipal user, DataHubPlatform platform, CancellationToken ct)
    {
        var actor = ExchangeActors.From(user);
        if (body.Approve is not { } approve)
        {
            const string problem = "approve: say true (approve) or false (reject)";
            await platform.Audit.AppendAsync(new AuditEntry(actor.User, actor.Department, "request.decided",
                string.Create(CultureInfo.InvariantCulture, $"request:{id}"), AuditOutcome.Denied, new JsonObject { ["problem"] = problem }), CancellationToken.None);
            return ExchangeProblems.From(new ExchangeRefusedException([problem], ExchangeRefusal.Invalid));
        }

        try
        {
            return TypedResults.Ok(await platform.Exchange.Requests.DecideAsync(actor, id, approve, body.Reason ?? string.Empty, body.PlainColumns ?? [], ct));
        }
        catch (ExchangeRefusedException e)
        {
            return ExchangeProblems.From(e);
        }
    }

    private static async Task<IResult> WithdrawAsync(long id, ClaimsPrincipal user, DataHubPlatform platform, CancellationToken ct)
    {
        try
        {
            return TypedResults.Ok(await platform.Exchange.Requests.WithdrawAsync(ExchangeActors.From(user), id, ct));
        }
        catch (ExchangeRefusedException e)
        {
            return ExchangeProblems.From(e);
        }
    }

    private static async Task<IResult> ListGrantsAsync(ClaimsPrincipal user, DataHubPlatform platform, CancellationToken ct)
    {
        var actor = ExchangeActors.From(user);
        var grants = await platform.Exchange.Grants.ListAsync(null, ct);
        return TypedResults.Ok(grants.Where(g => MaySee(actor, g, platform)).ToList());
    }

    private static async Task<IResult> GetGrantAsync(long id, ClaimsPrincipal user, DataHubPlatform platform, CancellationToken ct) =>
        await platform.Exchange.Grants.GetAsync(id, ct) is { } grant && MaySee(ExchangeActors.From(user), grant, platform)
            ? TypedResults.Ok(grant)
            : TypedResults.Problem($"There is no grant {id} you may see.", statusCode: StatusCodes.Status404NotFound, title: "Not found");

    private static async Task<IResult> RevokeAsync(long id, ExchangeRevokeBody body, ClaimsPrincipal user, DataHubPlatform platform, CancellationToken ct)
    {
        try
        {
            await platform.Exchange.Requests.RevokeGrantAsync(ExchangeActors.From(user), id, body.Reason ?? string.Empty, ct);
            return TypedResults.Ok(await platform.Exchange.Grants.GetAsync(id, ct));
        }
        catch (ExchangeRefusedException e)
        {
            return ExchangeProblems.From(e);
        }
    }

    /// <summary>Whether an actor may see a grant: its department's, on data its department provides, or any for bureau_admin.</summary>
    internal static bool MaySee(ExchangeActor actor, GrantRecord grant, DataHubPlatform platform) =>
        actor.Roles.Contains(ExchangeRoles.BureauAdmin) || actor.Department == grant.Department
        || (platform.Definitions.TryGetDataset(grant.Dataset, out var dataset) && dataset.ProviderCode == actor.Department);

    /// <summary>Today in the platform's time zone (Asia/Shanghai), the day SLAs and grant periods count in.</summary>
    internal static DateOnly Today() =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai")).DateTime);
}
