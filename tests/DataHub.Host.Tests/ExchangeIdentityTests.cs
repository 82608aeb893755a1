using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using DataHub.Host.Cli;
using DataHub.Host.Platform;
using DataHub.Host.Scheduling;
using Microsoft.Extensions.Logging.Abstractions;

namespace DataHub.Host.Tests;

/// <summary>Users, API keys and bearer authentication of the exchange over real HTTP and the CLI.</summary>
public sealed class ExchangeIdentityTests(PlatformFixture fixture) : IClassFixture<PlatformFixture>
{
    [Fact]
    public async Task Keys_authenticate_refusals_get_401_or_403_with_an_audit_entry_and_secrets_never_leave_once()
    {
        var platform = fixture.Platform;
        Assert.Equal(0, await RunCliAsync("exchange", "user", "add", "li.na", "--department", "water", "--roles", "requester,analyst").ContinueWith(t => t.Result.Code));
        var (code, created) = await RunCliAsync("exchange", "key", "create", "--department", "water", "--user", "li.na", "--expires", "90d");
        Assert.Equal(0, code);
        var key = created.Split('\n')[0].Trim();
        Assert.Matches("^dhk_[a-z0-9]{12}_[0-9a-f]{64}$", key);
        var id = key[4..16];
        var admin = (await platform.Identity.CreateApiKeyAsync("bureau", null, ["bureau_admin"], null, "test", CancellationToken.None)).Secret;

        using var runner = new PipelineRunner(platform, NullLoggerFactory.Instance);
        await using var server = await DataHubServer.StartAsync(platform, runner, scheduler: false, CancellationToken.None);
        using var http = new HttpClient { BaseAddress = new Uri(server.Addresses[0]) };

        // Existing endpoints stay anonymous.
        using (var health = await http.GetAsync(new Uri("/health", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        }

        var (status, body) = await GetAsync(http, "/api/v1/exchange/me", key);
        Assert.Equal(HttpStatusCode.OK, status);
        using (var me = JsonDocument.Parse(body))
        {
            Assert.Equal("water", me.RootElement.GetProperty("department").GetString());
            Assert.Equal("li.na", me.RootElement.GetProperty("user").GetString());
            Assert.Equal(id, me.RootElement.GetProperty("keyId").GetString());
            Assert.Equal(["requester", "analyst"], me.RootElement.GetProperty("roles").EnumerateArray().Select(r => r.GetString()!).ToArray());
        }

        var wrongSecret = key[..^4] + (key[^4..] == "0000" ? "1111" : "0000");
        await AssertDeniedAsync(http, wrongSecret, "/api/v1/exchange/me", HttpStatusCode.Unauthorized, "wrong-secret", $"key:{id}");
        await AssertDeniedAsync(http, "not-a-key", "/api/v1/exchange/me", HttpStatusCode.Unauthorized, "malformed", "anonymous");
        await AssertDeniedAsync(http, null, "/api/v1/exchange/me", HttpStatusCode.Unauthorized, "missing", "anonymous");
        await AssertDeniedAsync(http, "dhk_zzzzzzzzzzzz_" + new string('a', 64), "/api/v1/exchange/me", HttpStatusCode.Unauthorized, "unknown", "key:zzzzzzzzzzzz");
        await AssertDeniedAsync(http, key, "/api/v1/exchange/keys", HttpStatusCode.Forbidden, "forbidden", $"key:{id}");

        (status, body) = await GetAsync(http, "/api/v1/exchange/keys", admin);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains(id, body, StringComparison.Ordinal);
        Assert.DoesNotContain(key[17..], body, StringComparison.Ordinal);

        // Expired: move the key's window into the past.
        var expiring = (await platform.Identity.CreateApiKeyAsync("gas", null, ["analyst"], TimeSpan.FromDays(1), "test", CancellationToken.None)).Secret;
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(http, "/api/v1/exchange/me", expiring)).Status);
        await using (var age = platform.DataSource.CreateCommand(
            "UPDATE datahub.api_key SET created_at = now() - interval '2 days', expires_at = now() - interval '1 second' WHERE id = @id"))
        {
            age.Parameters.AddWithValue("id", expiring[4..16]);
            Assert.Equal(1, await age.ExecuteNonQueryAsync());
        }

        // Changed behind the server's back: wait until its copies of keys and grants have heard of it.
        await platform.Access.SettleAsync(CancellationToken.None);

        await AssertDeniedAsync(http, expiring, "/api/v1/exchange/me", HttpStatusCode.Unauthorized, "expired", $"key:{expiring[4..16]}");

        // The secret is stored only as a hash; list never prints it.
        await using (var scan = platform.DataSource.CreateCommand("SELECT t::text FROM datahub.api_key AS t"))
        await using (var reader = await scan.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                var row = reader.GetString(0);
                Assert.DoesNotContain(key[17..], row, StringComparison.Ordinal);
                Assert.DoesNotContain(admin[17..], row, StringComparison.Ordinal);
            }
        }

        var (listCode, list) = await RunCliAsync("exchange", "key", "list");
        Assert.Equal(0, listCode);
        Assert.Contains(id, list, StringComparison.Ordinal);
        Assert.Contains("expired", list, StringComparison.Ordinal);
        Assert.DoesNotContain(key[17..], list, StringComparison.Ordinal);
        Assert.DoesNotContain("dhk_", list, StringComparison.Ordinal);

        // Revocation takes effect on the very next call.
        var (revokeCode, revoked) = await RunCliAsync("exchange", "key", "revoke", id);
        Assert.Equal(0, revokeCode);
        Assert.Contains("revoked", revoked, StringComparison.Ordinal);
        await AssertDeniedAsync(http, key, "/api/v1/exchange/me", HttpStatusCode.Unauthorized, "revoked", $"key:{id}");

        var verify = await platform.Audit.VerifyAsync(CancellationToken.None);
        Assert.True(verify.Intact);
        Assert.Equal(2, (await RunCliAsync("exchange")).Code);
    }

    [Fact]
    public async Task Keys_are_refused_for_unknown_departments_users_of_other_departments_and_roles_the_user_lacks()
    {
        var identity = fixture.Platform.Identity;
        await identity.CreateUserAsync(new("wang.fang", "gas", "Wang Fang", ["requester"], true), "test", CancellationToken.None);
        await Assert.ThrowsAsync<ArgumentException>(() => identity.CreateApiKeyAsync("nowhere", null, null, null, "test", CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => identity.CreateApiKeyAsync("water", "wang.fang", null, null, "test", CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => identity.CreateApiKeyAsync("gas", "wang.fang", ["bureau_admin"], null, "test", CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => identity.CreateUserAsync(new("wang.fang", "gas", "Again", [], true), "test", CancellationToken.None));
        Assert.Throws<ArgumentException>(() => DataHub.Exchange.Identity.ExchangeRoles.Parse("requester,root"));
    }

    private async Task AssertDeniedAsync(HttpClient http, string? key, string path, HttpStatusCode expected, string reason, string actor)
    {
        var (status, body) = await GetAsync(http, path, key);
        Assert.Equal(expected, status);
        Assert.DoesNotContain("water", body, StringComparison.Ordinal);
        await using var command = fixture.Platform.DataSource.CreateCommand(
            "SELECT actor, target, outcome, detail->>'reason', detail::text FROM datahub.audit_log WHERE action = 'auth.denied' ORDER BY seq DESC LIMIT 1");
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(actor, reader.GetString(0));
        Assert.Equal(path, reader.GetString(1));
        Assert.Equal("denied", reader.GetString(2));
        Assert.Equal(reason, reader.GetString(3));
        if (key is { Length: > 20 })
        {
            Assert.DoesNotContain(key[17..], reader.GetString(4), StringComparison.Ordinal);
        }
    }

    private static async Task<(HttpStatusCode Status, string Body)> GetAsync(HttpClient http, string path, string? key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        using var response = await http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private async Task<(int Code, string Output)> RunCliAsync(params string[] args)
    {
        using var output = new StringWriter();
        var code = await DataHubCli.RunAsync([.. args, "--home", fixture.Home], output, CancellationToken.None);
        return (code, output.ToString());
    }
}
