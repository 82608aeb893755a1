using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;
using DataHub.Catalog.Audit;
using DataHub.Exchange.Demands;
using DataHub.Exchange.Requests;
using DataHub.Host.Auth;
using DataHub.Host.Platform;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DataHub.Host.Api;

/// <summary>
/// The data-demand list over HTTP, <c>/api/v1/exchange/demands</c> (any authenticated key; the roles are checked by
/// <see cref="DemandService"/>, which audits every refusal). The actor is the bearer key's department, user and roles.
/// Refusals are problem details: 400 invalid (each problem names its field), 403 not allowed, 404 unknown, 409 wrong
/// state. A body that is not JSON of the expected shape is a 400 too, and audited like the service's refusals.
/// </summary>
public static class DemandsApi
{
    /// <summary>Maps the endpoints.</summary>
    public static IEndpointRouteBuilder MapDemandsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/exchange/demands").WithTags("Demands").RequireAuthorization(ExchangeAuth.Caller)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden);
        group.MapPost(string.Empty, PostAsync).WithName("PostDemand").Accepts<DemandPostBody>("application/json").Produces<Demand>(StatusCodes.Status201Created)
            .WithSummary("Posts a need for data not catalogued yet, for the caller's department. Requires role requester.");
        group.MapGet(string.Empty, ListAsync).WithName("ListDemands").Produces<IReadOnlyList<Demand>>()
            .WithSummary("Demands the caller's department posted or is assigned (all for bureau_admin), newest first; filters status, department, limit (1–1000, default 100).");
        group.MapGet("/{id}", GetAsync).WithName("GetDemand").Produces<DemandDetail>().ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("One demand with its history of state changes.");
        MapAction(group, "assign", AssignAsync, typeof(DemandAssignBody), optional: false,
            "Assigns (or, before work starts, reassigns) the demand to a providing department, optionally with a due date. Requires bureau_admin.");
        MapAction(group, "start", StartAsync, typeof(DemandNoteBody), optional: true,
            "The assigned provider starts work (optional note). Approver of the provider or bureau_admin.");
        MapAction(group, "fulfil", FulfilAsync, typeof(DemandFulfilBody), optional: false,
            "Fulfils the demand with a catalogued dataset of the provider. Approver of the provider or bureau_admin.");
        MapAction(group, "decline", DeclineAsync, typeof(DemandReasonBody), optional: false,
            "Declines the demand with a reason. Approver of the provider or bureau_admin (who may also decline an open demand).");
        MapAction(group, "withdraw", WithdrawAsync, typeof(DemandReasonBody), optional: true,
            "The requesting department withdraws its demand while it is not fulfilled or declined (optional reason). Requester of that department.");
        return app;
    }

    private static void MapAction(RouteGroupBuilder group, string verb, Delegate handler, Type body, bool optional, string summary) =>
        group.MapPost("/{id}/" + verb, handler).WithName(CultureInfo.InvariantCulture.TextInfo.ToTitleCase(verb) + "Demand")
            .Accepts(body, optional, "application/json").Produces<Demand>()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary(summary);

    private static async Task<IResult> PostAsync(HttpRequest request, ClaimsPrincipal user, DataHubPlatform platform, CancellationToken ct)
    {
        var actor = ActorOf(user);
        var (body, bad) = await ReadBodyAsync<DemandPostBody>(request, platform, actor, "demand.posted", null, required: true, ct);
        if (bad is not null)
        {
            return bad;
        }

        var draft = new DemandDraft(
            body!.Title ?? string.Empty, body.Description ?? string.Empty,
            [.. (body.WantedFields ?? []).Select(f => f ?? string.Empty)], body.Purpose ?? string.Empty, body.LegalBasis ?? string.Empty);
        return await RunAsync(async () =>
        {
            var demand = await Service(platform).PostAsync(actor, draft, ct);
            return TypedResults.Created(string.Create(CultureInfo.InvariantCulture, $"/api/v1/exchange/demands/{demand.Id}"), demand);
        });
    }

    private static async Task<IResult> ListAsync(
        ClaimsPrincipal user, DataHubPlatform platform, CancellationToken ct, string? status = null, string? department = null, string? limit = null)
    {
        var actor = ActorOf(user);
        var count = DemandFilter.DefaultLimit;
        if (!string.IsNullOrWhiteSpace(limit) && !int.TryParse(limit, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out count))
        {
            return await BadAsync(platform, actor, "demand.listed", null, [$"limit: '{limit}' is not a whole number"], ct);
        }

        var filter = new DemandFilter(string.IsNullOrWhiteSpace(status) ? null : status, string.IsNullOrWhiteSpace(department) ? null : department, count);
        return await RunAsync(async () => TypedResults.Ok(await Service(platform).ListAsync(actor, filter, ct)));
    }

    private static async Task<IResult> GetAsync(string id, ClaimsPrincipal user, DataHubPlatform platform, CancellationToken ct)
    {
        var actor = ActorOf(user);
        var (demandId, bad) = await ParseIdAsync(id, platform, actor, "demand.viewed", ct);
        return bad ?? await RunAsync(async () => TypedResults.Ok(await Service(platform).GetAsync(actor, demandId, ct)));
    }

    private static Task<IResult> AssignAsync(string id, HttpRequest request, ClaimsPrincipal user, DataHubPlatform platform, CancellationToken ct) =>
        ActAsync<DemandAssignBody>(id, request, user, platform, "demand.assigned", required: true, async (service, actor, demandId, body) =>
        {
            DateOnly? due = null;
            if (!string.IsNullOrWhiteSpace(body?.DueDate))
            {
                if (!DateOnly.TryParseExact(body.DueDate, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
                {
                    return await BadAsync(platform, actor, "demand.assigned", Target(demandId),
                        [$"dueDate: '{body.DueDate}' is not a date of the form yyyy-MM-dd"], ct);
                }

                due = parsed;
            }

            return TypedResults.Ok(await service.AssignAsync(actor, demandId, body?.Provider ?? string.Empty, due, body?.Note, ct));
        }, ct);

    private static Task<IResult> StartAsync(string id, HttpRequest request, ClaimsPrincipal user, DataHubPlatform platform, CancellationToken ct) =>
        ActAsync<DemandNoteBody>(id, request, user, platform, "demand.started", required: false, async (service, actor, demandId, body) =>
            TypedResults.Ok(await service.StartAsync(actor, demandId, body?.Note, ct)), ct);

    private static Task<IResult> FulfilAsync(string id, HttpRequest request, ClaimsPrincipal user, DataHubPlatform platform, CancellationToken ct) =>
        ActAsync<DemandFulfilBody>(id, request, user, platform, "demand.fulfilled", required: true, async (service, actor, demandId, body) =>
            TypedResults.Ok(await service.FulfilAsync(actor, demandId, body?.Dataset ?? string.Empty, body?.Note, ct)), ct);

    private static Task<IResult> DeclineAsync(string id, HttpRequest request, ClaimsPrincipal user, DataHubPlatform platform, CancellationToken ct) =>
        ActAsync<DemandReasonBody>(id, request, user, platform, "demand.declined", required: true, async (service, actor, demandId, body) =>
            TypedResults.Ok(await service.DeclineAsync(actor, demandId, body?.Reason ?? string.Empty, ct)), ct);

    private static Task<IResult> WithdrawAsync(string id, HttpRequest request, ClaimsPrincipal user, DataHubPlatform platform, CancellationToken ct) =>
        ActAsync<DemandReasonBody>(id, request, user, platform, "demand.withdrawn", required: false, async (service, actor, demandId, body) =>
            TypedResults.Ok(await service.WithdrawAsync(actor, demandId, body?.Reason, ct)), ct);

    /// <summary>Parses the id and the body (each refusal audited), then runs the action, mapping its refusals.</summary>
    private static async Task<IResult> ActAsync<TBody>(
        string id, HttpRequest request, ClaimsPrincipal user, DataHubPlatform platform, string action, bool required,
        Func<DemandService, ExchangeActor, long, TBody?, Task<IResult>> act, CancellationToken ct)
        where TBody : class
    {
        var actor = ActorOf(user);
        var (demandId, badId) = await ParseIdAsync(id, platform, actor, action, ct);
        if (badId is not null)
        {
            return badId;
        }

        var (body, badBody) = await ReadBodyAsync<TBody>(request, platform, actor, action, Target(demandId), required, ct);
        return badBody ?? await RunAsync(() => act(Service(platform), actor, demandId, body));
    }

    private static DemandService Service(DataHubPlatform platform) => new(platform.DataSource);

    private static ExchangeActor ActorOf(ClaimsPrincipal user) => new(
        user.FindFirstValue(ApiKeyClaims.Department)!,
        user.FindFirstValue(ClaimTypes.Name)!,
        user.FindAll(ClaimTypes.Role).Select(c => c.Value).ToHashSet(StringComparer.Ordinal));

    private static string Target(long id) => string.Create(CultureInfo.InvariantCulture, $"demand:{id}");

    private static async Task<IResult> RunAsync(Func<Task<IResult>> action)
    {
        try
        {
            return await action();
        }
        catch (ExchangeRefusedException refused)
        {
            return Problem(refused.Kind, refused.Problems);
        }
    }

    private static IResult Problem(ExchangeRefusal kind, IReadOnlyList<string> problems) =>
        ExchangeProblems.From(new ExchangeRefusedException(problems, kind));

    /// <summary>Audits an input refused before it reached the service (a bad id or body) and answers 400.</summary>
    private static async Task<IResult> BadAsync(
        DataHubPlatform platform, ExchangeActor actor, string action, string? target, IReadOnlyList<string> problems, CancellationToken ct)
    {
        await platform.Audit.AppendAsync(new AuditEntry(actor.User, actor.Department, action, target, AuditOutcome.Denied, new JsonObject
        {
            ["refusal"] = "invalid",
            ["problems"] = new JsonArray([.. problems.Select(p => JsonValue.Create(p))]),
        }), ct);
        return Problem(ExchangeRefusal.Invalid, problems);
    }

    private static async Task<(long Id, IResult? Bad)> ParseIdAsync(string id, DataHubPlatform platform, ExchangeActor actor, string action, CancellationToken ct) =>
        long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed >= 1
            ? (parsed, null)
            : (0, await BadAsync(platform, actor, action, null, [$"id: '{id}' is not a demand id (a positive whole number)"], ct));

    private static async Task<(T? Body, IResult? Bad)> ReadBodyAsync<T>(
        HttpRequest request, DataHubPlatform platform, ExchangeActor actor, string action, string? target, bool required, CancellationToken ct)
        where T : class
    {
        if (request.ContentLength == 0 || (request.ContentLength is null && !request.HasJsonContentType()))
        {
            return required
                ? (null, await BadAsync(platform, actor, action, target, ["body: send a JSON object (Content-Type: application/json)"], ct))
                : (null, null);
        }

        if (!request.HasJsonContentType())
        {
            return (null, await BadAsync(platform, actor, action, target, ["body: send a JSON object (Content-Type: application/json)"], ct));
        }

        try
        {
            var body = await request.ReadFromJsonAsync<T>(ct);
            return body is null && required
                ? (null, await BadAsync(platform, actor, action, target, ["body: send a JSON object, not null"], ct))
                : (body, null);
        }
        catch (JsonException e)
        {
            var at = string.IsNullOrEmpty(e.Path) || e.Path == "$" ? "body" : "body" + e.Path[1..];
            return (null, await BadAsync(platform, actor, action, target, [$"{at}: not JSON of the expected shape ({FirstLine(e.Message)})"], ct));
        }
    }

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();
}

/// <summary>The body of <c>POST /api/v1/exchange/demands</c>.</summary>
/// <param name="Title">A short name of the need.</param>
/// <param name="Description">What data is needed.</param>
/// <param name="WantedFields">The fields wanted, free-text names.</param>
/// <param name="Purpose">What the data is for.</param>
/// <param name="LegalBasis">The duty or law the use rests on.</param>
public sealed record DemandPostBody(string? Title, string? Description, IReadOnlyList<string?>? WantedFields, string? Purpose, string? LegalBasis);

/// <summary>The body of <c>POST …/{id}/assign</c>.</summary>
/// <param name="Provider">The providing department's code.</param>
/// <param name="DueDate">yyyy-MM-dd, optional.</param>
/// <param name="Note">Optional.</param>
public sealed record DemandAssignBody(string? Provider, string? DueDate, string? Note);

/// <summary>The body of <c>POST …/{id}/fulfil</c>.</summary>
/// <param name="Dataset">The catalogued dataset (schema.table) that fulfils the demand.</param>
/// <param name="Note">Optional.</param>
public sealed record DemandFulfilBody(string? Dataset, string? Note);

/// <summary>The optional body of <c>POST …/{id}/start</c>.</summary>
/// <param name="Note">Optional.</param>
public sealed record DemandNoteBody(string? Note);

/// <summary>The body of <c>POST …/{id}/decline</c> (reason required) and <c>…/withdraw</c> (optional).</summary>
/// <param name="Reason">Why.</param>
public sealed record DemandReasonBody(string? Reason);
