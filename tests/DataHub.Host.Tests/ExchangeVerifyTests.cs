using System.Net;
using System.Text.Json;
using DataHub.DuckDb;

namespace DataHub.Host.Tests;

/// <summary>Verification lookups over real HTTP: exists or not, granted fields masked, numbers checked first, every call audited.</summary>
public sealed class ExchangeVerifyTests(ExchangeFixture fixture) : IClassFixture<ExchangeFixture>
{
    [Fact]
    public async Task A_verification_grant_answers_whether_a_person_exists_with_masked_fields_and_never_stores_the_number()
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var (status, body) = await fixture.SendAsync(HttpMethod.Post, "/api/v1/exchange/requests", fixture.GasKey, new
        {
            dataset = "population.household_registration",
            columns = new[] { "name", "sex", "birth_date" },
            purpose = "开户实名核验",
            legalBasis = "《城镇燃气管理条例》第十八条",
            delivery = "verify",
            periodFrom = today.AddDays(-1),
            periodUntil = today.AddDays(30),
        });
        Assert.True(status == HttpStatusCode.Created, body);
        var requestId = JsonDocument.Parse(body).RootElement.GetProperty("requestId").GetInt64();
        (status, body) = await fixture.SendAsync(HttpMethod.Post, $"/api/v1/exchange/requests/{requestId}/decision", fixture.PoliceApproverKey, new { approve = true, reason = "核验用途" });
        Assert.True(status == HttpStatusCode.OK, body);
        Assert.Equal("approved_by_provider", JsonDocument.Parse(body).RootElement.GetProperty("status").GetString()); // level 4 dataset: the bureau decides too
        (status, body) = await fixture.SendAsync(HttpMethod.Post, $"/api/v1/exchange/requests/{requestId}/decision", fixture.BureauKey, new { approve = true, reason = "同意" });
        Assert.True(status == HttpStatusCode.OK, body);
        var grant = JsonDocument.Parse(body).RootElement.GetProperty("grantId").GetInt64();

        var (known, name) = await KnownPersonAsync();
        (status, body) = await fixture.SendAsync(HttpMethod.Get, $"/api/v1/exchange/verify/citizen/{known}", fixture.GasKey);
        Assert.True(status == HttpStatusCode.OK, body);
        using (var answer = JsonDocument.Parse(body))
        {
            Assert.True(answer.RootElement.GetProperty("exists").GetBoolean());
            Assert.Equal(grant, answer.RootElement.GetProperty("grantId").GetInt64());
            var fields = answer.RootElement.GetProperty("fields");
            Assert.Equal(name[..1] + new string('*', name.Length - 1), fields.GetProperty("name").GetString());
            Assert.False(fields.TryGetProperty("citizen_id", out _));
            Assert.DoesNotContain(known, body, StringComparison.Ordinal);
        }

        // The department's variants of the same number find the same person.
        var lower = known.ToLowerInvariant();
        var fullWidth = string.Concat(known.Select(c => char.IsAsciiDigit(c) ? (char)(c - '0' + '０') : c));
        foreach (var variant in new[] { lower, fullWidth })
        {
            (status, body) = await fixture.SendAsync(HttpMethod.Get, $"/api/v1/exchange/verify/citizen/{Uri.EscapeDataString(variant)}?grant={grant}", fixture.GasKey);
            Assert.True(status == HttpStatusCode.OK, body);
            Assert.True(JsonDocument.Parse(body).RootElement.GetProperty("exists").GetBoolean());
        }

        // A valid number that is not in the data; a wrong check character is refused before any lookup.
        var stranger = await ValidUnknownAsync();
        (status, body) = await fixture.SendAsync(HttpMethod.Get, $"/api/v1/exchange/verify/citizen/{stranger}", fixture.GasKey);
        Assert.True(status == HttpStatusCode.OK, body);
        Assert.False(JsonDocument.Parse(body).RootElement.GetProperty("exists").GetBoolean());
        var wrong = known[..17] + (known[17] == '0' ? '1' : '0');
        (status, body) = await fixture.SendAsync(HttpMethod.Get, $"/api/v1/exchange/verify/citizen/{wrong}", fixture.GasKey);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("check character", body, StringComparison.Ordinal);

        // Another department, and a grant not for verification, are refused.
        Assert.Equal(HttpStatusCode.Forbidden, (await fixture.SendAsync(HttpMethod.Get, $"/api/v1/exchange/verify/citizen/{known}?grant={grant}", fixture.TransitKey)).Status);
        var water = await fixture.GrantWaterToGasAsync("api");
        Assert.Equal(HttpStatusCode.Conflict, (await fixture.SendAsync(HttpMethod.Get, $"/api/v1/exchange/verify/citizen/{known}?grant={water}", fixture.GasKey)).Status);

        // Audited: ok and refused calls alike, subjects by pseudonym, the number itself nowhere in the log.
        await using var audit = fixture.Platform.DataSource.CreateCommand(
            "SELECT outcome, detail::text FROM datahub.audit_log WHERE action = 'verify.citizen' ORDER BY seq");
        await using var reader = await audit.ExecuteReaderAsync();
        var outcomes = new List<string>();
        while (await reader.ReadAsync())
        {
            outcomes.Add(reader.GetString(0));
            Assert.DoesNotContain(known, reader.GetString(1), StringComparison.Ordinal);
        }

        Assert.Equal(4, outcomes.Count(o => o == "ok"));
        Assert.Equal(3, outcomes.Count(o => o == "denied"));
        Assert.True((await fixture.Platform.Audit.VerifyAsync(CancellationToken.None)).Intact);
    }

    [Fact]
    public async Task An_entity_is_verified_by_its_credit_code_under_an_unconditional_grant()
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var (status, body) = await fixture.SendAsync(HttpMethod.Post, "/api/v1/exchange/requests", fixture.TransitKey, new
        {
            dataset = "market.business_registration",
            columns = new[] { "name", "status" },
            purpose = "承运企业资质核验",
            legalBasis = "《企业信息公示暂行条例》",
            delivery = "verify",
            periodFrom = today,
            periodUntil = today.AddDays(7),
        });
        Assert.True(status == HttpStatusCode.Created, body);
        Assert.Equal("granted", JsonDocument.Parse(body).RootElement.GetProperty("status").GetString());
        var code = await ScalarAsync("market.business_registration", "SELECT uscc FROM t WHERE length(uscc) = 18 AND uscc = upper(uscc) ORDER BY uscc LIMIT 1");
        (status, body) = await fixture.SendAsync(HttpMethod.Get, $"/api/v1/exchange/verify/entity/{code}", fixture.TransitKey);
        Assert.True(status == HttpStatusCode.OK, body);
        using var answer = JsonDocument.Parse(body);
        Assert.True(answer.RootElement.GetProperty("exists").GetBoolean());
        Assert.Equal(await ScalarAsync("market.business_registration", $"SELECT name FROM t WHERE uscc = '{code}' LIMIT 1"), answer.RootElement.GetProperty("fields").GetProperty("name").GetString());
    }

    private async Task<(string Id, string Name)> KnownPersonAsync()
    {
        var id = await ScalarAsync("population.household_registration",
            "SELECT citizen_id FROM t WHERE regexp_full_match(citizen_id, '[0-9]{17}[0-9X]') AND length(name) >= 2 ORDER BY citizen_id LIMIT 1");
        var name = await ScalarAsync("population.household_registration", $"SELECT name FROM t WHERE citizen_id = '{id}' LIMIT 1");
        return (id, name);
    }

    private async Task<string> ValidUnknownAsync()
    {
        for (var seq = 100; ; seq++)
        {
            var stem = $"34010219010101{seq:000}";
            var id = stem + DataHub.Quality.Functions.CheckDigits.CitizenCheck(System.Text.Encoding.ASCII.GetBytes(stem));
            if (await ScalarAsync("population.household_registration", $"SELECT count(*)::VARCHAR FROM t WHERE citizen_id = '{id}'") == "0")
            {
                return id;
            }
        }
    }

    private async Task<string> ScalarAsync(string table, string sql)
    {
        var scan = await fixture.Platform.Tables.ScanAsync(table);
        using var duck = new DuckDbConnection("Data Source=:memory:");
        duck.Open();
        using var command = duck.CreateCommand();
        command.CommandText = $"WITH t AS ({scan.Sql}) {sql}";
        return Convert.ToString(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture)!;
    }
}
