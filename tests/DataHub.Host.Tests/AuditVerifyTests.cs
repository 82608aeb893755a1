using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using DataHub.Catalog.Audit;
using DataHub.Host.Cli;
using DataHub.Host.Platform;
using DataHub.Host.Scheduling;
using Microsoft.Extensions.Logging.Abstractions;

namespace DataHub.Host.Tests;

/// <summary><c>datahub audit verify</c> and <c>GET /api/v1/audit/verify</c> over an intact and then a tampered chain.</summary>
public sealed class AuditVerifyTests(PlatformFixture fixture) : IClassFixture<PlatformFixture>
{
    [Fact]
    public async Task Cli_and_http_report_an_intact_chain_and_then_the_tampered_row()
    {
        var platform = fixture.Platform;
        for (var i = 1; i <= 5; i++)
        {
            await platform.Audit.AppendAsync(
                new AuditEntry("key-3", "water", "query", "water.meter_reading_daily", AuditOutcome.Ok, new JsonObject { ["rows"] = i * 10 }),
                CancellationToken.None);
        }

        using var runner = new PipelineRunner(platform, NullLoggerFactory.Instance);
        await using var server = await DataHubServer.StartAsync(platform, runner, scheduler: false, CancellationToken.None);
        using var http = new HttpClient { BaseAddress = new Uri(server.Addresses[0]) };
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync(new Uri("/api/v1/audit/verify", UriKind.Relative))).StatusCode);
        var admin = (await platform.Identity.CreateApiKeyAsync("bureau", null, ["bureau_admin"], null, "test", CancellationToken.None)).Secret;
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", admin);

        // The five entries above, then the refused anonymous call and the key's creation, each audited too.
        long rows;
        await using (var count = platform.DataSource.CreateCommand("SELECT count(*) FROM datahub.audit_log"))
        {
            rows = (long)(await count.ExecuteScalarAsync())!;
        }

        Assert.Equal(7, rows);

        using (var intact = await GetJsonAsync(http))
        {
            Assert.True(intact.RootElement.GetProperty("intact").GetBoolean());
            Assert.Equal(rows, intact.RootElement.GetProperty("rows").GetInt64());
            Assert.Equal(JsonValueKind.Null, intact.RootElement.GetProperty("firstBroken").ValueKind);
            Assert.Equal(64, intact.RootElement.GetProperty("head").GetString()!.Length);
        }

        using (var openApi = JsonDocument.Parse(await http.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative))))
        {
            var get = openApi.RootElement.GetProperty("paths").GetProperty("/api/v1/audit/verify").GetProperty("get");
            Assert.Equal("VerifyAudit", get.GetProperty("operationId").GetString());
        }

        var (code, output) = await RunCliAsync("audit", "verify");
        Assert.Equal(0, code);
        Assert.StartsWith($"audit log intact: {rows} row(s), head ", output, StringComparison.Ordinal);

        await using (var tamper = platform.DataSource.CreateCommand(
            """BEGIN; SET LOCAL datahub.audit_maintenance = on; UPDATE datahub.audit_log SET detail = '{"rows": 1}' WHERE seq = 3; COMMIT;"""))
        {
            await tamper.ExecuteNonQueryAsync();
        }

        using (var broken = await GetJsonAsync(http))
        {
            Assert.False(broken.RootElement.GetProperty("intact").GetBoolean());
            Assert.Equal(rows, broken.RootElement.GetProperty("rows").GetInt64());
            var first = broken.RootElement.GetProperty("firstBroken");
            Assert.Equal(3, first.GetProperty("seq").GetInt64());
            Assert.Equal("hash-mismatch", first.GetProperty("reason").GetString());
        }

        (code, output) = await RunCliAsync("audit", "verify");
        Assert.Equal(1, code);
        Assert.StartsWith("audit log BROKEN at row 3 (hash-mismatch): ", output, StringComparison.Ordinal);

        (code, output) = await RunCliAsync("audit");
        Assert.Equal(2, code);
        Assert.Contains("datahub audit verify", output, StringComparison.Ordinal);
    }

    private static async Task<JsonDocument> GetJsonAsync(HttpClient http)
    {
        using var response = await http.GetAsync(new Uri("/api/v1/audit/verify", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync());
    }

    private async Task<(int Code, string Output)> RunCliAsync(params string[] args)
    {
        using var output = new StringWriter();
        var code = await DataHubCli.RunAsync([.. args, "--home", fixture.Home], output, CancellationToken.None);
        return (code, output.ToString());
    }
}
