using System.Net;
using System.Text.Json;

namespace DataHub.Host.Tests;

/// <summary>
/// The exchange's security matrix: each attempt must be refused (or, for filters that try to widen a grant, answered
/// with nothing outside it), leak no value it may not, and leave an audit entry. One case per attempt.
/// </summary>
public sealed class ExchangeSecurityMatrixTests(ExchangeFixture fixture) : IClassFixture<ExchangeFixture>
{
    private static readonly SemaphoreSlim SetupLock = new(1, 1);
    private static readonly Dictionary<ExchangeFixture, Setup> Setups = [];

    /// <summary>Grants and keys in the states the attempts need.</summary>
    private sealed record Setup(
        long Api, long ExportOnly, long Expired, long Revoked, long Withdrawn, long WaterOwn, long GasFiled, string RevokedKey, string ExpiredKey);

    /// <summary>One attempt: who, what, and what must come back.</summary>
    private sealed record Attempt(Func<ExchangeFixture, Setup, string?> Key, HttpMethod Method, Func<Setup, string> Path, Func<Setup, object?>? Body, HttpStatusCode Expected);

    private static object Query(object? columns = null, object? filters = null, long? offset = null, int? limit = 50) =>
        new { columns, filters, offset, limit };

    private static object[] Filter(string field, string op, params object?[] values) => [new { field, @operator = op, values }];

    private static readonly Dictionary<string, Attempt> Attempts = new()
    {
        // Who: no key, bad keys, keys of other departments or without the role.
        ["no key"] = new((_, _) => null, HttpMethod.Post, s => $"/api/v1/exchange/grants/{s.Api}/query", _ => Query(), HttpStatusCode.Unauthorized),
        ["malformed key"] = new((_, _) => "not-a-key", HttpMethod.Post, s => $"/api/v1/exchange/grants/{s.Api}/query", _ => Query(), HttpStatusCode.Unauthorized),
        ["unknown key id"] = new((_, _) => "dhk_zzzzzzzzzzzz_" + new string('a', 64), HttpMethod.Post, s => $"/api/v1/exchange/grants/{s.Api}/query", _ => Query(), HttpStatusCode.Unauthorized),
        ["wrong secret"] = new((f, _) => f.GasKey[..^4] + (f.GasKey[^4..] == "0000" ? "1111" : "0000"), HttpMethod.Post, s => $"/api/v1/exchange/grants/{s.Api}/query", _ => Query(), HttpStatusCode.Unauthorized),
        ["revoked key"] = new((_, s) => s.RevokedKey, HttpMethod.Post, s => $"/api/v1/exchange/grants/{s.Api}/query", _ => Query(), HttpStatusCode.Unauthorized),
        ["expired key"] = new((_, s) => s.ExpiredKey, HttpMethod.Post, s => $"/api/v1/exchange/grants/{s.Api}/query", _ => Query(), HttpStatusCode.Unauthorized),
        ["another department's key, query"] = new((f, _) => f.TransitKey, HttpMethod.Post, s => $"/api/v1/exchange/grants/{s.Api}/query", _ => Query(), HttpStatusCode.Forbidden),
        ["another department's key, export"] = new((f, _) => f.TransitKey, HttpMethod.Get, s => $"/api/v1/exchange/grants/{s.ExportOnly}/export?format=csv", null, HttpStatusCode.Forbidden),
        ["another department's key, deliveries"] = new((f, _) => f.TransitKey, HttpMethod.Get, s => $"/api/v1/exchange/grants/{s.Api}/deliveries", null, HttpStatusCode.NotFound),
        ["requester without the analyst role"] = new((f, _) => f.GasRequesterKey, HttpMethod.Post, s => $"/api/v1/exchange/grants/{s.Api}/query", _ => Query(), HttpStatusCode.Forbidden),
        ["the provider's approver querying"] = new((f, _) => f.WaterApproverKey, HttpMethod.Post, s => $"/api/v1/exchange/grants/{s.Api}/query", _ => Query(), HttpStatusCode.Forbidden),
        ["the bureau's admin querying"] = new((f, _) => f.BureauKey, HttpMethod.Post, s => $"/api/v1/exchange/grants/{s.Api}/query", _ => Query(), HttpStatusCode.Forbidden),
        ["an analyst listing all keys"] = new((f, _) => f.GasKey, HttpMethod.Get, _ => "/api/v1/exchange/keys", null, HttpStatusCode.Forbidden),

        // Which grant: expired, revoked, the wrong delivery, unknown.
        ["expired grant, query"] = new((f, _) => f.GasKey, HttpMethod.Post, s => $"/api/v1/exchange/grants/{s.Expired}/query", _ => Query(), HttpStatusCode.Conflict),
        ["expired grant, export"] = new((f, _) => f.GasKey, HttpMethod.Get, s => $"/api/v1/exchange/grants/{s.Expired}/export?format=csv", null, HttpStatusCode.Conflict),
        ["revoked grant, query"] = new((f, _) => f.GasKey, HttpMethod.Post, s => $"/api/v1/exchange/grants/{s.Revoked}/query", _ => Query(), HttpStatusCode.Conflict),
        ["revoked grant, export"] = new((f, _) => f.GasKey, HttpMethod.Get, s => $"/api/v1/exchange/grants/{s.Revoked}/export?format=parquet", null, HttpStatusCode.Conflict),
        ["export-only grant queried"] = new((f, _) => f.GasKey, HttpMethod.Post, s => $"/api/v1/exchange/grants/{s.ExportOnly}/query", _ => Query(), HttpStatusCode.Conflict),
        ["api-only grant exported"] = new((f, _) => f.GasKey, HttpMethod.Get, s => $"/api/v1/exchange/grants/{s.Api}/export?format=csv", null, HttpStatusCode.Conflict),
        ["unknown grant"] = new((f, _) => f.GasKey, HttpMethod.Post, _ => "/api/v1/exchange/grants/987654/query", _ => Query(), HttpStatusCode.NotFound),
        ["negative grant id"] = new((f, _) => f.GasKey, HttpMethod.Post, _ => "/api/v1/exchange/grants/-1/query", _ => Query(), HttpStatusCode.NotFound),
        ["grant id not a number"] = new((f, _) => f.GasKey, HttpMethod.Post, _ => "/api/v1/exchange/grants/1%20OR%201=1/query", _ => Query(), HttpStatusCode.NotFound),

        // Columns outside the grant, by name, by *, and by tricks.
        ["ungranted column by name"] = new((f, _) => f.GasKey, HttpMethod.Post, s => $"/api/v1/exchange/grants/{s.Api}/query", _ => Query(new[] { "meter_no" }), HttpStatusCode.BadRequest),
        ["ungranted columns by *"] = new((f, _) => f.GasKey, HttpMethod.Post, s => $"/api/v1/exchange/grants/{s.Api}/query", _ => Query(new[] { "*" }), HttpStatusCode.BadRequest),
        ["quoted column name"] = new((f, _) => f.GasKey, HttpMethod.Post, s => $"/api/v1/exchange/grants/{s.Api}/query", _ => Query(new[] { "\"meter_no\"" }), HttpStatusCode.BadRequest),
        ["SQL in a column name"] = new((f, _) => f.GasKey, HttpMethod.Post, s => $"/api/v1/exchange/grants/{s.Api}/query", _ => Query(new[] { "meter_no FROM water.meter_reading_daily --" }), HttpStatusCode.BadRequest),
        ["homoglyph column name"] = new((f, _) => f.GasKey, HttpMethod.Post, s => $"/api/v1/exchange/grants/{s.Api}/query", _ => Query(new[] { "\u0430ccount_no" }), HttpStatusCode.BadRequest),
        ["full-width column name"] = new((f, _) => f.GasKey, HttpMethod.Post, s => $"/api/v1/exchange/grants/{s.Api}/query", _ => Query(new[] { "ｍｅｔｅｒ_ｎｏ" }), HttpStatusCode.BadRequest),
        ["column name with NUL"] = new((f, _) => f.GasKey, HttpMethod.Post, s => $"/api/v1/exchange/grants/{s.Api}/query", _ => Query(new[] { "account_no\u0000meter_no" }), HttpStatusCode.BadRequest),
        ["column name with zero-width joiner"] = new((f, _) => f.GasKey, HttpMethod.Post, s => $"/api/v1/exchange/grants/{s.Api}/query", _ => Query(new[] { "meter\u200D_no" }), HttpStatusCode.BadRequest),
        ["the same column twice"] = new((f, _) => f.GasKey, HttpMethod.Post, s => $"/api/v1/exchange/grants/{s.Api}/query", _ => Query(new[] { "address", "address" }), HttpStatusCode.BadRequest),

        // Filters that try to reach past the grant.
        ["filter on an ungranted column"] = new((f, _) => f.GasKey, HttpMethod.Post, s => $"/api/v1/exchange/grants/{s.Api}/query", _ => Query(filters: Filter("meter_no", "eq", "M0880000")), HttpStatusCode.BadRequest),
        ["SQL in a filter field"] = new((f, _) => f.GasKey, HttpMethod.Post, s => $"/api/v1/exchange/grants/{s.Api}/query", _ => Query(filters: Filter("district_code OR 1=1", "eq", "x")), HttpStatusCode.BadRequest),
        ["SQL in an operator"] = new((f, _) => f.GasKey, HttpMethod.Post, s => $"/api/v1/exchange/grants/{s.Api}/query", _ => Query(filters: Filter("district_code", "= '340104' OR '1'='1", "x")), HttpStatusCode.BadRequest),
        ["an operator the type does not take"] = new((f, _) => f.GasKey, HttpMethod.Post, s => $"/api/v1/exchange/grants/{s.Api}/query", _ => Query(filters: Filter("district_code", "between", "340100", "340199")), HttpStatusCode.BadRequest),
        ["an operator that does not exist"] = new((f, _) => f.GasKey, HttpMethod.Post, s => $"/api/v1/exchange/grants/{s.Api}/query", _ => Query(filters: Filter("district_code", "ne", "340102")), HttpStatusCode.BadRequest),
        ["SQL in a value"] = new((f, _) => f.GasKey, HttpMethod.Post, s => $"/api/v1/exchange/grants/{s.Api}/query", _ => Query(filters: Filter("district_code", "eq", "340102' OR '1'='1")), HttpStatusCode.OK),
        ["a district outside the grant"] = new((f, _) => f.GasKey, HttpMethod.Post, s => $"/api/v1/exchange/grants/{s.Api}/query", _ => Query(filters: Filter("district_code", "eq", "340104")), HttpStatusCode.OK),
        ["a list reaching outside the grant"] = new((f, _) => f.GasKey, HttpMethod.Post, s => $"/api/v1/exchange/grants/{s.Api}/query", _ => Query(filters: Filter("district_code", "in", "340103", "340104", "340111")), HttpStatusCode.OK),
        ["an empty prefix"] = new((f, _) => f.GasKey, HttpMethod.Post, s => $"/api/v1/exchange/grants/{s.Api}/query", _ => Query(filters: Filter("district_code", "like_prefix", "")), HttpStatusCode.OK),
        ["a LIKE wildcard as prefix"] = new((f, _) => f.GasKey, HttpMethod.Post, s => $"/api/v1/exchange/grants/{s.Api}/query", _ => Query(filters: Filter("district_code", "like_prefix", "%")), HttpStatusCode.OK),
        ["full-width digits in a value"] = new((f, _) => f.GasKey, HttpMethod.Post, s => $"/api/v1/exchange/grants/{s.Api}/query", _ => Query(filters: Filter("district_code", "eq", "３４０１０４")), HttpStatusCode.OK),
        ["right-to-left override in a value"] = new((f, _) => f.GasKey, HttpMethod.Post, s => $"/api/v1/exchange/grants/{s.Api}/query", _ => Query(filters: Filter("district_code", "eq", "\u202E401043")), HttpStatusCode.OK),
        ["probing a masked column with a raw value"] = new((f, _) => f.GasKey, HttpMethod.Post, s => $"/api/v1/exchange/grants/{s.Api}/query", _ => Query(filters: Filter("account_no", "eq", "WS340100000000")), HttpStatusCode.OK),
        ["a date condition on a text column"] = new((f, _) => f.GasKey, HttpMethod.Post, s => $"/api/v1/exchange/grants/{s.Api}/query", _ => Query(filters: Filter("reading_date", "eq", "2026-10-01'; DROP TABLE x; --")), HttpStatusCode.BadRequest),
        ["a value that is JSON null"] = new((f, _) => f.GasKey, HttpMethod.Post, s => $"/api/v1/exchange/grants/{s.Api}/query", _ => Query(filters: Filter("district_code", "eq", [null])), HttpStatusCode.BadRequest),
        ["too many values"] = new((f, _) => f.GasKey, HttpMethod.Post, s => $"/api/v1/exchange/grants/{s.Api}/query", _ => Query(filters: Filter("district_code", "in", [.. Enumerable.Range(0, 1001).Select(i => (object)i.ToString(System.Globalization.CultureInfo.InvariantCulture))])), HttpStatusCode.BadRequest),
        ["too many conditions"] = new((f, _) => f.GasKey, HttpMethod.Post, s => $"/api/v1/exchange/grants/{s.Api}/query", _ => Query(filters: Enumerable.Range(0, 33).Select(_ => new { field = "district_code", @operator = "eq", values = new[] { "340102" } }).ToArray()), HttpStatusCode.BadRequest),

        // Pages.
        ["a zero page"] = new((f, _) => f.GasKey, HttpMethod.Post, s => $"/api/v1/exchange/grants/{s.Api}/query", _ => Query(limit: 0), HttpStatusCode.BadRequest),
        ["a negative page"] = new((f, _) => f.GasKey, HttpMethod.Post, s => $"/api/v1/exchange/grants/{s.Api}/query", _ => Query(limit: -1), HttpStatusCode.BadRequest),
        ["an oversized page"] = new((f, _) => f.GasKey, HttpMethod.Post, s => $"/api/v1/exchange/grants/{s.Api}/query", _ => Query(limit: 100_000), HttpStatusCode.BadRequest),
        ["a negative offset"] = new((f, _) => f.GasKey, HttpMethod.Post, s => $"/api/v1/exchange/grants/{s.Api}/query", _ => Query(offset: -1), HttpStatusCode.BadRequest),
        ["an offset past the end of paging"] = new((f, _) => f.GasKey, HttpMethod.Post, s => $"/api/v1/exchange/grants/{s.Api}/query", _ => Query(offset: 20_000_000), HttpStatusCode.BadRequest),
        ["a body that is not JSON"] = new((f, _) => f.GasKey, HttpMethod.Post, s => $"/api/v1/exchange/grants/{s.Api}/query", _ => "{\"limit\": 10,", HttpStatusCode.BadRequest),

        // Exports: formats and names.
        ["an unknown format"] = new((f, _) => f.GasKey, HttpMethod.Get, s => $"/api/v1/exchange/grants/{s.ExportOnly}/export?format=exe", null, HttpStatusCode.BadRequest),
        ["SQL in the format"] = new((f, _) => f.GasKey, HttpMethod.Get, s => $"/api/v1/exchange/grants/{s.ExportOnly}/export?format=" + Uri.EscapeDataString("csv) TO '/tmp/x' (FORMAT csv"), null, HttpStatusCode.BadRequest),
        ["path traversal in the export name"] = new((f, _) => f.GasKey, HttpMethod.Get, s => $"/api/v1/exchange/grants/{s.ExportOnly}/export?format=csv&name=../../etc/passwd", null, HttpStatusCode.BadRequest),
        ["encoded path traversal in the export name"] = new((f, _) => f.GasKey, HttpMethod.Get, s => $"/api/v1/exchange/grants/{s.ExportOnly}/export?format=csv&name=..%2F..%2Fetc%2Fpasswd", null, HttpStatusCode.BadRequest),
        ["an absolute export name"] = new((f, _) => f.GasKey, HttpMethod.Get, s => $"/api/v1/exchange/grants/{s.ExportOnly}/export?format=csv&name=%2Fetc%2Fpasswd", null, HttpStatusCode.BadRequest),
        ["a backslash in the export name"] = new((f, _) => f.GasKey, HttpMethod.Get, s => $"/api/v1/exchange/grants/{s.ExportOnly}/export?format=csv&name=..%5C..%5Cwin.ini", null, HttpStatusCode.BadRequest),
        ["a hidden export name"] = new((f, _) => f.GasKey, HttpMethod.Get, s => $"/api/v1/exchange/grants/{s.ExportOnly}/export?format=csv&name=.bashrc", null, HttpStatusCode.BadRequest),

        // Approval and its states.
        ["approving one's own department's request"] = new((f, _) => f.WaterApproverKey, HttpMethod.Post, s => $"/api/v1/exchange/requests/{s.WaterOwn}/decision", _ => new { approve = true, reason = "自己批" }, HttpStatusCode.Forbidden),
        ["a requester deciding"] = new((f, _) => f.GasKey, HttpMethod.Post, s => $"/api/v1/exchange/requests/{s.GasFiled}/decision", _ => new { approve = true, reason = "想要" }, HttpStatusCode.Forbidden),
        ["the bureau deciding before the provider"] = new((f, _) => f.BureauKey, HttpMethod.Post, s => $"/api/v1/exchange/requests/{s.GasFiled}/decision", _ => new { approve = true, reason = "越级" }, HttpStatusCode.Forbidden),
        ["approving a withdrawn request"] = new((f, _) => f.WaterApproverKey, HttpMethod.Post, s => $"/api/v1/exchange/requests/{s.Withdrawn}/decision", _ => new { approve = true, reason = "重放" }, HttpStatusCode.Conflict),
        ["withdrawing a withdrawn request again"] = new((f, _) => f.GasKey, HttpMethod.Post, s => $"/api/v1/exchange/requests/{s.Withdrawn}/withdraw", null, HttpStatusCode.Conflict),
        ["withdrawing another department's request"] = new((f, _) => f.TransitKey, HttpMethod.Post, s => $"/api/v1/exchange/requests/{s.GasFiled}/withdraw", null, HttpStatusCode.Forbidden),
        ["a decision without approve"] = new((f, _) => f.WaterApproverKey, HttpMethod.Post, s => $"/api/v1/exchange/requests/{s.GasFiled}/decision", _ => new { reason = "?" }, HttpStatusCode.BadRequest),
        ["a plain column that was not requested"] = new((f, _) => f.WaterApproverKey, HttpMethod.Post, s => $"/api/v1/exchange/requests/{s.GasFiled}/decision", _ => new { approve = true, reason = "ok", plainColumns = new[] { "meter_no" } }, HttpStatusCode.BadRequest),
        ["requesting a level-4 column"] = new((f, _) => f.GasKey, HttpMethod.Post, _ => "/api/v1/exchange/requests", _ => Request("population.household_registration", "citizen_id", "name"), HttpStatusCode.BadRequest),
        ["requesting a dataset that is not catalogued"] = new((f, _) => f.GasKey, HttpMethod.Post, _ => "/api/v1/exchange/requests", _ => Request("water.meter_reading_daily; DROP TABLE datahub.audit_log", "address"), HttpStatusCode.BadRequest),
        ["revoking a grant one does not provide"] = new((f, _) => f.TransitKey, HttpMethod.Post, s => $"/api/v1/exchange/grants/{s.Api}/revoke", _ => new { reason = "捣乱" }, HttpStatusCode.Forbidden),
        ["revoking a revoked grant"] = new((f, _) => f.WaterApproverKey, HttpMethod.Post, s => $"/api/v1/exchange/grants/{s.Revoked}/revoke", _ => new { reason = "再撤" }, HttpStatusCode.Conflict),
        ["reading another department's request"] = new((f, _) => f.TransitKey, HttpMethod.Get, s => $"/api/v1/exchange/requests/{s.GasFiled}", null, HttpStatusCode.NotFound),

        // Input the services never saw before: null entries, text that is not text, names that only look checked.
        ["a null condition in a query"] = new((f, _) => f.GasKey, HttpMethod.Post, s => $"/api/v1/exchange/grants/{s.Api}/query", _ => Query(filters: new object?[] { null }), HttpStatusCode.BadRequest),
        ["a null condition in a request"] = new((f, _) => f.GasKey, HttpMethod.Post, _ => "/api/v1/exchange/requests", _ => RequestWith(filters: new object?[] { null }), HttpStatusCode.BadRequest),
        ["a NUL in a request's purpose"] = new((f, _) => f.GasKey, HttpMethod.Post, _ => "/api/v1/exchange/requests", _ => RequestWith(purpose: "核查\u0000"), HttpStatusCode.BadRequest),
        ["a NUL in a request's filter value"] = new((f, _) => f.GasKey, HttpMethod.Post, _ => "/api/v1/exchange/requests", _ => RequestWith(filters: Filter("district_code", "eq", "340102\u0000")), HttpStatusCode.BadRequest),
        ["a NUL in a decision's reason"] = new((f, _) => f.WaterApproverKey, HttpMethod.Post, s => $"/api/v1/exchange/requests/{s.GasFiled}/decision", _ => new { approve = true, reason = "同意\u0000" }, HttpStatusCode.BadRequest),
        ["a NUL in a revocation's reason"] = new((f, _) => f.WaterApproverKey, HttpMethod.Post, s => $"/api/v1/exchange/grants/{s.Api}/revoke", _ => new { reason = "\u0000" }, HttpStatusCode.BadRequest),
        ["a null plain column"] = new((f, _) => f.WaterApproverKey, HttpMethod.Post, s => $"/api/v1/exchange/requests/{s.GasFiled}/decision", _ => "{\"approve\": true, \"reason\": \"ok\", \"plainColumns\": [null]}", HttpStatusCode.BadRequest),
        ["an unpaired surrogate in a JSON string"] = new((f, _) => f.GasKey, HttpMethod.Post, s => $"/api/v1/exchange/grants/{s.Api}/query",
            _ => "{\"filters\": [{\"field\": \"district_code\", \"operator\": \"eq\", \"values\": [\"340104\\ud800\"]}]}", HttpStatusCode.BadRequest),
        ["a NUL in the export name"] = new((f, _) => f.GasKey, HttpMethod.Get, s => $"/api/v1/exchange/grants/{s.ExportOnly}/export?format=csv&name=report%00.csv", null, HttpStatusCode.BadRequest),
        ["a newline ending the export name"] = new((f, _) => f.GasKey, HttpMethod.Get, s => $"/api/v1/exchange/grants/{s.ExportOnly}/export?format=csv&name=report.csv%0A", null, HttpStatusCode.BadRequest),
        ["another department's grant through an upper-case path"] = new((f, _) => f.TransitKey, HttpMethod.Get, s => $"/API/V1/EXCHANGE/grants/{s.Api}", null, HttpStatusCode.NotFound),
    };

    public static TheoryData<string> Names() => [.. Attempts.Keys];

    private static object Request(string dataset, params string[] columns)
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        return new { dataset, columns, purpose = "测试", legalBasis = "测试", delivery = "api", periodFrom = today, periodUntil = today.AddDays(1) };
    }

    private static object RequestWith(object? filters = null, string purpose = "测试")
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        return new { dataset = "water.meter_reading_daily", columns = new[] { "usage_m3" }, filters, purpose, legalBasis = "测试", delivery = "api", periodFrom = today, periodUntil = today.AddDays(1) };
    }

    [Fact]
    public void The_matrix_has_at_least_fifty_attempts() => Assert.True(Attempts.Count >= 50, $"{Attempts.Count} attempts");

    [Theory]
    [MemberData(nameof(Names))]
    public async Task Each_attempt_is_refused_leaks_nothing_and_is_audited(string name)
    {
        var attempt = Attempts[name];
        var setup = await SetupAsync();
        var before = await AuditCountAsync();
        var (status, body) = await fixture.SendAsync(attempt.Method, attempt.Path(setup), attempt.Key(fixture, setup), attempt.Body?.Invoke(setup));
        Assert.True(attempt.Expected == status, $"{name}: expected {attempt.Expected}, got {(int)status} {body}");

        // Nothing the grant withholds: unmasked account or meter numbers, door numbers of addresses, other districts' rows.
        Assert.DoesNotContain("WS3401", body, StringComparison.Ordinal);
        Assert.DoesNotContain("M088", body, StringComparison.Ordinal);
        Assert.DoesNotContain("号", body, StringComparison.Ordinal);
        if (status == HttpStatusCode.OK)
        {
            using var page = JsonDocument.Parse(body);
            var columns = page.RootElement.GetProperty("columns").EnumerateArray().Select(c => c.GetProperty("name").GetString()).ToList();
            var district = columns.IndexOf("district_code");
            foreach (var row in page.RootElement.GetProperty("rows").EnumerateArray())
            {
                Assert.Contains(row[district].GetString(), new[] { "340102", "340111" });
            }
        }

        Assert.True(await AuditCountAsync() > before, $"{name}: no audit entry");
    }

    private async Task<long> AuditCountAsync()
    {
        await using var count = fixture.Platform.DataSource.CreateCommand("SELECT count(*) FROM datahub.audit_log");
        return (long)(await count.ExecuteScalarAsync())!;
    }

    private async Task<Setup> SetupAsync()
    {
        await SetupLock.WaitAsync();
        try
        {
            if (Setups.TryGetValue(fixture, out var ready))
            {
                return ready;
            }

            var api = await fixture.GrantWaterToGasAsync("api");
            var exportOnly = await fixture.GrantWaterToGasAsync("export");
            var expired = await fixture.GrantWaterToGasAsync("both");
            await using (var age = fixture.Platform.DataSource.CreateCommand(
                "UPDATE datahub.exchange_grant SET valid_from = current_date - 30, valid_until = current_date - 2 WHERE id = @id"))
            {
                age.Parameters.AddWithValue("id", expired);
                await age.ExecuteNonQueryAsync();
            }

            // Changed behind the server's back: wait until its copies of keys and grants have heard of it.
            await fixture.Platform.Access.SettleAsync(CancellationToken.None);

            var revoked = await fixture.GrantWaterToGasAsync("both");
            Assert.Equal(HttpStatusCode.OK, (await fixture.SendAsync(HttpMethod.Post, $"/api/v1/exchange/grants/{revoked}/revoke", fixture.WaterApproverKey, new { reason = "结束" })).Status);

            async Task<long> FileAsync(string key, string dataset, params string[] columns)
            {
                var (status, body) = await fixture.SendAsync(HttpMethod.Post, "/api/v1/exchange/requests", key, Request(dataset, columns));
                Assert.True(status == HttpStatusCode.Created, body);
                return JsonDocument.Parse(body).RootElement.GetProperty("requestId").GetInt64();
            }

            var withdrawn = await FileAsync(fixture.GasKey, "water.meter_reading_daily", "usage_m3");
            Assert.Equal(HttpStatusCode.OK, (await fixture.SendAsync(HttpMethod.Post, $"/api/v1/exchange/requests/{withdrawn}/withdraw", fixture.GasKey)).Status);
            var waterOwn = await FileAsync(fixture.WaterRequesterKey, "water.meter_reading_daily", "usage_m3");
            var gasFiled = await FileAsync(fixture.GasKey, "water.meter_reading_daily", "usage_m3", "reading_date");

            var identity = fixture.Platform.Identity;
            var revokedKey = (await identity.CreateApiKeyAsync("gas", null, ["analyst"], TimeSpan.FromDays(1), "test", CancellationToken.None)).Secret;
            await identity.RevokeApiKeyAsync(revokedKey[4..16], "test", CancellationToken.None);
            var expiredKey = (await identity.CreateApiKeyAsync("gas", null, ["analyst"], TimeSpan.FromDays(1), "test", CancellationToken.None)).Secret;
            await using (var age = fixture.Platform.DataSource.CreateCommand(
                "UPDATE datahub.api_key SET created_at = now() - interval '2 days', expires_at = now() - interval '1 second' WHERE id = @id"))
            {
                age.Parameters.AddWithValue("id", expiredKey[4..16]);
                await age.ExecuteNonQueryAsync();
            }

            // Changed behind the server's back: wait until its copies of keys and grants have heard of it.
            await fixture.Platform.Access.SettleAsync(CancellationToken.None);

            var setup = new Setup(api, exportOnly, expired, revoked, withdrawn, waterOwn, gasFiled, revokedKey, expiredKey);
            Setups[fixture] = setup;
            return setup;
        }
        finally
        {
            SetupLock.Release();
        }
    }
}
