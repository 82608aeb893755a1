using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using DataHub.Host.Platform;
using DataHub.Host.Scheduling;
using Microsoft.Extensions.Logging.Abstractions;

namespace DataHub.Host.Tests;

/// <summary>The data-demand list over real HTTP with real API keys, from posting to fulfilment.</summary>
public sealed class DemandsApiTests(PlatformFixture fixture) : IClassFixture<PlatformFixture>
{
    private const string Demands = "/api/v1/exchange/demands";

    [Fact]
    public async Task A_demand_is_posted_assigned_started_and_fulfilled_over_http_and_every_refusal_is_a_problem_with_an_audit_row()
    {
        var platform = fixture.Platform;
        var ct = CancellationToken.None;
        await platform.Identity.CreateUserAsync(new("civil.zhou", "civil", "Zhou", ["requester"], true), "test", ct);
        await platform.Identity.CreateUserAsync(new("gas.sun", "gas", "Sun", ["approver"], true), "test", ct);
        await platform.Identity.CreateUserAsync(new("water.lin", "water", "Lin", ["requester", "approver"], true), "test", ct);
        await platform.Identity.CreateUserAsync(new("bureau.qian", "bureau", "Qian", ["bureau_admin"], true), "test", ct);
        var civil = (await platform.Identity.CreateApiKeyAsync("civil", "civil.zhou", null, null, "test", ct)).Secret;
        var gas = (await platform.Identity.CreateApiKeyAsync("gas", "gas.sun", null, null, "test", ct)).Secret;
        var water = (await platform.Identity.CreateApiKeyAsync("water", "water.lin", null, null, "test", ct)).Secret;
        var bureau = (await platform.Identity.CreateApiKeyAsync("bureau", "bureau.qian", null, null, "test", ct)).Secret;

        using var runner = new PipelineRunner(platform, NullLoggerFactory.Instance);
        await using var server = await DataHubServer.StartAsync(platform, runner, scheduler: false, ct);
        using var http = new HttpClient { BaseAddress = new Uri(server.Addresses[0]) };

        // Without a key: 401, as for every exchange endpoint.
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(http, HttpMethod.Get, Demands, null)).Status);

        // Invalid input: 400 naming each field; a body that is not JSON: 400 too; not a requester: 403.
        var invalid = await SendAsync(http, HttpMethod.Post, Demands, civil,
            """{"title":" ","description":"需要按户的月用气量","wantedFields":["户号",""],"purpose":"低保核查","legalBasis":"《社会救助暂行办法》"}""");
        AssertProblem(invalid, HttpStatusCode.BadRequest, "title: give the need a title", "wantedFields[1]: a field name is blank");
        AssertProblem(await SendAsync(http, HttpMethod.Post, Demands, civil, """{"title": """), HttpStatusCode.BadRequest);
        AssertProblem(await SendAsync(http, HttpMethod.Post, Demands, civil, """{"wantedFields": "户号"}"""), HttpStatusCode.BadRequest);
        AssertProblem(await SendAsync(http, HttpMethod.Post, Demands, gas, Post("燃气")), HttpStatusCode.Forbidden, "gas.sun does not hold the requester role");
        Assert.Equal(["invalid", "invalid", "invalid", "forbidden"], await RefusalsAsync("demand.posted", null, 4));

        var posted = await SendAsync(http, HttpMethod.Post, Demands, civil, Post("低保家庭月用气量"));
        Assert.Equal(HttpStatusCode.Created, posted.Status);
        var id = posted.Json.GetProperty("id").GetInt64();
        Assert.Equal($"{Demands}/{id}", posted.Location);
        Assert.Equal(("open", "civil", "civil.zhou"), (Text(posted.Json, "status"), Text(posted.Json, "requestingDepartment"), Text(posted.Json, "requestingUser")));
        Assert.Equal(["户号", "月用气量"], posted.Json.GetProperty("wantedFields").EnumerateArray().Select(e => e.GetString()));

        // Assigning is the bureau's, to a department other than the requester, with a well-formed date.
        AssertProblem(await SendAsync(http, HttpMethod.Post, $"{Demands}/{id}/assign", gas, """{"provider":"gas"}"""),
            HttpStatusCode.Forbidden, "only a bureau_admin assigns demands");
        AssertProblem(await SendAsync(http, HttpMethod.Post, $"{Demands}/{id}/assign", bureau, """{"provider":"civil"}"""),
            HttpStatusCode.BadRequest, "provider: civil posted the demand and cannot be assigned to provide it");
        AssertProblem(await SendAsync(http, HttpMethod.Post, $"{Demands}/{id}/assign", bureau, """{"provider":"gas","dueDate":"2026-02-30"}"""),
            HttpStatusCode.BadRequest, "dueDate: '2026-02-30' is not a date of the form yyyy-MM-dd");
        var due = DateOnly.FromDateTime(DateTime.Now).AddDays(30).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var assigned = await SendAsync(http, HttpMethod.Post, $"{Demands}/{id}/assign", bureau, $$"""{"provider":"gas","dueDate":"{{due}}","note":"请燃气集团评估"}""");
        Assert.Equal(HttpStatusCode.OK, assigned.Status);
        Assert.Equal(("assigned", "gas", "bureau.qian", due), (Text(assigned.Json, "status"), Text(assigned.Json, "assignedProvider"), Text(assigned.Json, "assignedBy"), Text(assigned.Json, "dueDate")));

        // Who sees it: the requesting department, the provider and the bureau; not water.
        AssertProblem(await SendAsync(http, HttpMethod.Get, $"{Demands}/{id}", water), HttpStatusCode.Forbidden, $"demand {id} is neither posted by nor assigned to water");
        Assert.DoesNotContain(id, await ListIdsAsync(http, Demands, water));
        Assert.Contains(id, await ListIdsAsync(http, Demands, civil));
        Assert.Contains(id, await ListIdsAsync(http, $"{Demands}?status=assigned", gas));
        Assert.DoesNotContain(id, await ListIdsAsync(http, $"{Demands}?status=open", bureau));
        Assert.Contains(id, await ListIdsAsync(http, $"{Demands}?department=gas&limit=5", bureau));
        AssertProblem(await SendAsync(http, HttpMethod.Get, $"{Demands}?status=done", bureau), HttpStatusCode.BadRequest,
            "status: 'done' is not one of open, assigned, in_progress, fulfilled, declined, withdrawn");
        AssertProblem(await SendAsync(http, HttpMethod.Get, $"{Demands}?limit=many", bureau), HttpStatusCode.BadRequest, "limit: 'many' is not a whole number");

        // The provider works on it and fulfils it with its own catalogued dataset.
        AssertProblem(await SendAsync(http, HttpMethod.Post, $"{Demands}/{id}/start", water), HttpStatusCode.Forbidden,
            "only an approver of the assigned provider gas or a bureau_admin may do this");
        Assert.Equal("in_progress", Text((await SendAsync(http, HttpMethod.Post, $"{Demands}/{id}/start", gas)).Json, "status"));
        AssertProblem(await SendAsync(http, HttpMethod.Post, $"{Demands}/{id}/start", gas), HttpStatusCode.Conflict,
            $"demand {id} is in_progress; only an assigned demand can be started");
        AssertProblem(await SendAsync(http, HttpMethod.Post, $"{Demands}/{id}/decline", gas, "{}"), HttpStatusCode.BadRequest, "reason: a decline must give its reasons");
        AssertProblem(await SendAsync(http, HttpMethod.Post, $"{Demands}/{id}/fulfil", gas, """{"dataset":"gas.low_income_usage"}"""),
            HttpStatusCode.BadRequest, "dataset: 'gas.low_income_usage' is not catalogued");
        var fulfilled = await SendAsync(http, HttpMethod.Post, $"{Demands}/{id}/fulfil", gas, """{"dataset":"gas.monthly_usage","note":"已编目"}""");
        Assert.Equal(HttpStatusCode.OK, fulfilled.Status);
        Assert.Equal(("fulfilled", "gas.monthly_usage", false), (Text(fulfilled.Json, "status"), Text(fulfilled.Json, "fulfilledDataset"), fulfilled.Json.GetProperty("overdue").GetBoolean()));
        AssertProblem(await SendAsync(http, HttpMethod.Post, $"{Demands}/{id}/withdraw", civil), HttpStatusCode.Conflict, $"demand {id} is fulfilled; too late to withdraw");

        // Unknown and malformed ids.
        AssertProblem(await SendAsync(http, HttpMethod.Get, $"{Demands}/987654321", bureau), HttpStatusCode.NotFound, "demand 987654321 does not exist");
        AssertProblem(await SendAsync(http, HttpMethod.Post, $"{Demands}/987654321/start", gas), HttpStatusCode.NotFound, "demand 987654321 does not exist");
        AssertProblem(await SendAsync(http, HttpMethod.Get, $"{Demands}/x1", bureau), HttpStatusCode.BadRequest, "id: 'x1' is not a demand id (a positive whole number)");

        // The history, oldest first, as the requesting department reads it.
        var detail = await SendAsync(http, HttpMethod.Get, $"{Demands}/{id}", civil);
        Assert.Equal(HttpStatusCode.OK, detail.Status);
        Assert.Equal("fulfilled", Text(detail.Json.GetProperty("demand"), "status"));
        Assert.Equal(
            ["posted:civil.zhou", "assigned:bureau.qian", "started:gas.sun", "fulfilled:gas.sun"],
            detail.Json.GetProperty("history").EnumerateArray().Select(e => $"{Text(e, "action")}:{Text(e, "actor")}"));

        // The audit log holds every change and every refusal on this demand, in order, and its chain is intact.
        Assert.Equal(
        [
            "demand.posted:ok", "demand.assigned:denied", "demand.assigned:denied", "demand.assigned:denied", "demand.assigned:ok",
            "demand.viewed:denied", "demand.started:denied", "demand.started:ok", "demand.started:denied", "demand.declined:denied",
            "demand.fulfilled:denied", "demand.fulfilled:ok", "demand.withdrawn:denied",
        ], await AuditTrailAsync(id));
        Assert.True((await platform.Audit.VerifyAsync(ct)).Intact);

        // The OpenAPI document describes the endpoints.
        using var openApi = JsonDocument.Parse(await http.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative)));
        var paths = openApi.RootElement.GetProperty("paths");
        Assert.True(paths.GetProperty(Demands).TryGetProperty("post", out _));
        Assert.True(paths.GetProperty(Demands).TryGetProperty("get", out _));
        Assert.True(paths.GetProperty(Demands + "/{id}").TryGetProperty("get", out _));
        foreach (var verb in new[] { "assign", "start", "fulfil", "decline", "withdraw" })
        {
            Assert.True(paths.GetProperty($"{Demands}/{{id}}/{verb}").TryGetProperty("post", out _), verb);
        }
    }

    private static string Post(string title) =>
        JsonSerializer.Serialize(new { title, description = "核查低保家庭实际居住情况", wantedFields = new[] { "户号", "月用气量" }, purpose = "低保动态管理", legalBasis = "《社会救助暂行办法》第十二条" });

    private static string? Text(JsonElement element, string property) =>
        element.GetProperty(property).ValueKind == JsonValueKind.Null ? null : element.GetProperty(property).GetString();

    private static void AssertProblem(Response response, HttpStatusCode status, params string[] problems)
    {
        Assert.Equal(status, response.Status);
        Assert.Equal("application/problem+json", response.ContentType);
        Assert.Equal((int)status, response.Json.GetProperty("status").GetInt32());
        var listed = response.Json.GetProperty("problems").EnumerateArray().Select(p => p.GetString()!).ToList();
        Assert.NotEmpty(listed);
        foreach (var problem in problems)
        {
            Assert.Contains(problem, listed);
        }

        Assert.DoesNotContain("   at ", response.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", response.Body, StringComparison.Ordinal);
    }

    private static async Task<List<long>> ListIdsAsync(HttpClient http, string path, string key)
    {
        var response = await SendAsync(http, HttpMethod.Get, path, key);
        Assert.Equal(HttpStatusCode.OK, response.Status);
        return [.. response.Json.EnumerateArray().Select(d => d.GetProperty("id").GetInt64())];
    }

    /// <summary>The outcome detail (refusal kind) of the latest <paramref name="count"/> rows of an action on no target, oldest first.</summary>
    private async Task<List<string>> RefusalsAsync(string action, string? target, int count)
    {
        await using var command = fixture.Platform.DataSource.CreateCommand("""
            SELECT detail->>'refusal' FROM (
                SELECT seq, detail FROM datahub.audit_log WHERE action = @action AND target IS NOT DISTINCT FROM @target AND outcome = 'denied'
                ORDER BY seq DESC LIMIT @count) AS latest
            ORDER BY seq
            """);
        command.Parameters.AddWithValue("action", action);
        command.Parameters.Add(new Npgsql.NpgsqlParameter<string?>("target", target));
        command.Parameters.AddWithValue("count", count);
        var kinds = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            kinds.Add(reader.GetString(0));
        }

        return kinds;
    }

    private async Task<List<string>> AuditTrailAsync(long id)
    {
        await using var command = fixture.Platform.DataSource.CreateCommand(
            "SELECT action || ':' || outcome FROM datahub.audit_log WHERE target = @target ORDER BY seq");
        command.Parameters.AddWithValue("target", $"demand:{id}");
        var rows = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.GetString(0));
        }

        return rows;
    }

    private sealed record Response(HttpStatusCode Status, string Body, string? ContentType, string? Location)
    {
        public JsonElement Json => JsonDocument.Parse(Body).RootElement.Clone();
    }

    private static async Task<Response> SendAsync(HttpClient http, HttpMethod method, string path, string? key, string? json = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        using var response = await http.SendAsync(request);
        return new Response(response.StatusCode, await response.Content.ReadAsStringAsync(),
            response.Content.Headers.ContentType?.MediaType, response.Headers.Location?.OriginalString);
    }
}
