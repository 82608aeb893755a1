using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using DataHub.Catalog.Lineage;
using DataHub.DuckDb;

namespace DataHub.Host.Tests;

/// <summary>Request → approval → grant → query and export through the masked, filtered view, over real HTTP.</summary>
public sealed class ExchangeDeliveryTests(ExchangeFixture fixture) : IClassFixture<ExchangeFixture>
{
    [Fact]
    public async Task A_granted_query_returns_only_granted_columns_masked_and_inside_the_row_filter()
    {
        var grant = await fixture.GrantWaterToGasAsync("both");
        var (status, body) = await fixture.SendAsync(HttpMethod.Post, $"/api/v1/exchange/grants/{grant}/query", fixture.GasKey, new { limit = 1000 });
        Assert.True(status == HttpStatusCode.OK, body);
        using var page = JsonDocument.Parse(body);
        var columns = page.RootElement.GetProperty("columns").EnumerateArray().Select(c => c.GetProperty("name").GetString()!).ToArray();
        Assert.Equal(["account_no", "reading_date", "usage_m3", "address", "district_code"], columns);
        var rows = page.RootElement.GetProperty("rows").EnumerateArray().ToList();

        // What the lake holds for the two districts, read beside the exchange.
        var expected = await CountAsync("SELECT count(*) FROM water.meter_reading_daily WHERE district_code IN ('340102', '340111')");
        Assert.True(expected > 0);
        Assert.Equal(expected, rows.Count);
        Assert.True(page.RootElement.GetProperty("masked").GetBoolean());
        foreach (var row in rows)
        {
            var values = row.EnumerateArray().ToArray();
            Assert.Matches("^[0-9a-f]{16}$", values[0].GetString()!);          // account numbers as keyed hashes
            Assert.EndsWith("****", values[3].GetString()!, StringComparison.Ordinal); // addresses cut at township or county
            Assert.Contains(values[4].GetString(), new[] { "340102", "340111" });
        }

        // The caller's own filter narrows; it cannot widen past the grant's.
        (status, body) = await fixture.SendAsync(HttpMethod.Post, $"/api/v1/exchange/grants/{grant}/query", fixture.GasKey, new
        {
            columns = new[] { "district_code" },
            filters = new[] { new { field = "district_code", @operator = "in", values = new[] { "340104", "340111" } } },
            limit = 1000,
        });
        Assert.True(status == HttpStatusCode.OK, body);
        using (var narrowed = JsonDocument.Parse(body))
        {
            var districts = narrowed.RootElement.GetProperty("rows").EnumerateArray().Select(r => r[0].GetString()).ToList();
            Assert.Equal(await CountAsync("SELECT count(*) FROM water.meter_reading_daily WHERE district_code = '340111'"), districts.Count);
            Assert.All(districts, d => Assert.Equal("340111", d));
        }

        // Paging: pages of one snapshot join up to the whole.
        var seen = 0;
        long? offset = 0;
        while (offset is { } start)
        {
            (status, body) = await fixture.SendAsync(HttpMethod.Post, $"/api/v1/exchange/grants/{grant}/query", fixture.GasKey, new { offset = start, limit = 7 });
            using var next = JsonDocument.Parse(body);
            seen += next.RootElement.GetProperty("rows").GetArrayLength();
            offset = next.RootElement.GetProperty("nextOffset").ValueKind == JsonValueKind.Null ? null : next.RootElement.GetProperty("nextOffset").GetInt64();
        }

        Assert.Equal(expected, seen);

        // Each query is recorded, audited and a lineage edge from the dataset to the grant, flagged as masked.
        (status, body) = await fixture.SendAsync(HttpMethod.Get, $"/api/v1/exchange/grants/{grant}/deliveries", fixture.GasKey);
        Assert.Equal(HttpStatusCode.OK, status);
        using (var deliveries = JsonDocument.Parse(body))
        {
            Assert.True(deliveries.RootElement.GetArrayLength() >= 3);
            Assert.All(deliveries.RootElement.EnumerateArray(), d => Assert.Equal("query", d.GetProperty("kind").GetString()));
        }

        var graph = await fixture.Platform.Lineage.Store.GetGraphAsync("water.meter_reading_daily", LineageDirection.Down, 1);
        Assert.NotNull(graph);
        var edges = graph.Edges.Where(e => e.Output.Dataset == $"exchange:grant/{grant}").ToList();
        Assert.Contains(edges, e => e.Input.Field == "account_no" && e.Masked);
        Assert.Contains(edges, e => e.Input.Field == "reading_date" && !e.Masked);
        Assert.Contains(edges, e => e.Input.Field == "district_code" && e.Output.Field == LineageColumn.WholeDataset && e.Subtype == "FILTER");
        Assert.True((await fixture.Platform.Audit.VerifyAsync(CancellationToken.None)).Intact);
    }

    [Theory]
    [InlineData("parquet")]
    [InlineData("csv")]
    [InlineData("json")]
    public async Task An_export_streams_the_grant_and_records_rows_and_the_checksum_of_what_was_sent(string format)
    {
        var grant = await fixture.GrantWaterToGasAsync("export", plain: ["account_no"]);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"/api/v1/exchange/grants/{grant}/export?format={format}", UriKind.Relative));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", fixture.GasKey);
        using var response = await fixture.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Contains($"grant-{grant}-", response.Content.Headers.ContentDisposition?.FileName ?? string.Empty, StringComparison.Ordinal);
        var file = Path.Combine(fixture.Platform.Settings.Home, $"received-{grant}.{format}");
        await File.WriteAllBytesAsync(file, bytes);

        var expected = await CountAsync("SELECT count(*) FROM water.meter_reading_daily WHERE district_code IN ('340102', '340111')");
        using (var duck = new DuckDbConnection("Data Source=:memory:"))
        {
            duck.Open();
            using var command = duck.CreateCommand();
            command.CommandText = format switch
            {
                "parquet" => $"SELECT count(*), count(DISTINCT district_code), min(account_no) FROM read_parquet('{file}')",
                "csv" => $"SELECT count(*), count(DISTINCT district_code), min(account_no) FROM read_csv('{file}', header = true, all_varchar = true)",
                _ => $"SELECT count(*), count(DISTINCT district_code), min(account_no) FROM read_json('{file}', format = 'newline_delimited')",
            };
            using var reader = command.ExecuteReader();
            Assert.True(reader.Read());
            Assert.Equal(expected, reader.GetInt64(0));
            Assert.Equal(2, reader.GetInt64(1));
            Assert.StartsWith("WS", reader.GetString(2), StringComparison.Ordinal); // approved in plain
        }

        var (status, body) = await fixture.SendAsync(HttpMethod.Get, $"/api/v1/exchange/grants/{grant}/deliveries", fixture.GasKey);
        Assert.Equal(HttpStatusCode.OK, status);
        using var deliveries = JsonDocument.Parse(body);
        var export = Assert.Single(deliveries.RootElement.EnumerateArray());
        Assert.Equal("export", export.GetProperty("kind").GetString());
        Assert.Equal(format, export.GetProperty("format").GetString());
        Assert.Equal("completed", export.GetProperty("status").GetString());
        Assert.Equal(expected, export.GetProperty("rows").GetInt64());
        Assert.Equal(bytes.Length, export.GetProperty("bytes").GetInt64());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), export.GetProperty("sha256").GetString());
        Assert.True(export.GetProperty("masked").GetBoolean()); // the address stays masked

        // What was delivered, and the decisions behind it, cannot be rewritten afterwards.
        foreach (var sql in new[] { "UPDATE datahub.exchange_delivery SET rows = 0", "DELETE FROM datahub.exchange_delivery", "UPDATE datahub.exchange_decision SET reason = 'x'" })
        {
            await using var tamper = fixture.Platform.DataSource.CreateCommand(sql);
            var refused = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => tamper.ExecuteNonQueryAsync());
            Assert.Equal("42501", refused.SqlState);
        }

        // A query is not what this grant allows.
        (status, _) = await fixture.SendAsync(HttpMethod.Post, $"/api/v1/exchange/grants/{grant}/query", fixture.GasKey, new { limit = 10 });
        Assert.Equal(HttpStatusCode.Conflict, status);
    }

    [Fact]
    public async Task A_revoked_grant_stops_at_once_and_an_unconditional_dataset_is_granted_without_approval()
    {
        var grant = await fixture.GrantWaterToGasAsync("api");
        Assert.Equal(HttpStatusCode.OK, (await fixture.SendAsync(HttpMethod.Post, $"/api/v1/exchange/grants/{grant}/query", fixture.GasKey, new { limit = 1 })).Status);
        var (status, body) = await fixture.SendAsync(HttpMethod.Post, $"/api/v1/exchange/grants/{grant}/revoke", fixture.WaterApproverKey, new { reason = "用途已结束" });
        Assert.True(status == HttpStatusCode.OK, body);
        (status, body) = await fixture.SendAsync(HttpMethod.Post, $"/api/v1/exchange/grants/{grant}/query", fixture.GasKey, new { limit = 1 });
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Contains("revoked", body, StringComparison.Ordinal);

        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        (status, body) = await fixture.SendAsync(HttpMethod.Post, "/api/v1/exchange/requests", fixture.TransitKey, new
        {
            dataset = "market.business_registration",
            columns = new[] { "uscc", "name", "status" },
            purpose = "核对运营企业登记状态",
            legalBasis = "《企业信息公示暂行条例》",
            delivery = "api",
            periodFrom = today,
            periodUntil = today.AddDays(7),
        });
        Assert.Equal(HttpStatusCode.Created, status);
        using var filed = JsonDocument.Parse(body);
        Assert.Equal("granted", filed.RootElement.GetProperty("status").GetString());
        var marketGrant = filed.RootElement.GetProperty("grantId").GetInt64();
        (status, body) = await fixture.SendAsync(HttpMethod.Post, $"/api/v1/exchange/grants/{marketGrant}/query", fixture.TransitKey, new { limit = 5 });
        Assert.True(status == HttpStatusCode.OK, body);
        Assert.Equal(5, JsonDocument.Parse(body).RootElement.GetProperty("rows").GetArrayLength());

        // The requester sees the request with its state; the provider sees it too; a third department does not.
        var requestId = filed.RootElement.GetProperty("requestId").GetInt64();
        Assert.Equal(HttpStatusCode.OK, (await fixture.SendAsync(HttpMethod.Get, $"/api/v1/exchange/requests/{requestId}", fixture.TransitKey)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.SendAsync(HttpMethod.Get, $"/api/v1/exchange/requests/{requestId}", fixture.GasKey)).Status);
    }

    private async Task<long> CountAsync(string sql)
    {
        var scan = await fixture.Platform.Tables.ScanAsync("water.meter_reading_daily");
        using var duck = new DuckDbConnection("Data Source=:memory:");
        duck.Open();
        duck.Execute($"CREATE SCHEMA water; CREATE VIEW water.meter_reading_daily AS {scan.Sql}");
        using var command = duck.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }
}

/// <summary>The theme databases over HTTP: listed openly, built by the bureau.</summary>
public sealed class ThemesApiTests(ExchangeFixture fixture) : IClassFixture<ExchangeFixture>
{
    [Fact]
    public async Task The_bureau_builds_the_legal_entity_theme_and_anyone_sees_its_definition_and_records()
    {
        Assert.Equal(HttpStatusCode.Forbidden, (await fixture.SendAsync(HttpMethod.Post, "/api/v1/themes/legal_entity/builds", fixture.GasKey)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.SendAsync(HttpMethod.Post, "/api/v1/themes/nothing/builds", fixture.BureauKey)).Status);
        var (status, body) = await fixture.SendAsync(HttpMethod.Post, "/api/v1/themes/legal_entity/builds?full=true", fixture.BureauKey);
        Assert.True(status == HttpStatusCode.OK, body);
        using var build = JsonDocument.Parse(body);
        Assert.Equal("full", build.RootElement.GetProperty("mode").GetString());
        var records = build.RootElement.GetProperty("records").GetInt64();
        var market = build.RootElement.GetProperty("sources")[0];
        Assert.Equal(market.GetProperty("rows").GetInt64() - market.GetProperty("invalidKeys").GetInt64(), records + await DuplicateCodesAsync());
        // The build ran the theme table's quality rules; the run is stored like a dataset's, and can be run again over HTTP.
        var runId = build.RootElement.GetProperty("quality").GetProperty("runId").GetInt64();
        (status, body) = await fixture.SendAsync(HttpMethod.Get, $"/api/v1/quality/runs/{runId}", fixture.BureauKey);
        Assert.True(status == HttpStatusCode.OK, body);
        Assert.Contains("theme.legal_entity.sources.agree", body, StringComparison.Ordinal);
        (status, body) = await fixture.SendAsync(HttpMethod.Post, "/api/v1/quality/theme.legal_entity/runs", fixture.BureauKey);
        Assert.True(status == HttpStatusCode.Created, body);

        (status, body) = await fixture.SendAsync(HttpMethod.Get, "/api/v1/themes", null);
        Assert.Equal(HttpStatusCode.OK, status);
        using var list = JsonDocument.Parse(body);
        var theme = list.RootElement.EnumerateArray().Single(t => t.GetProperty("name").GetString() == "legal_entity");
        Assert.Equal(records, theme.GetProperty("records").GetInt64());
        Assert.Equal("credit_code", theme.GetProperty("keyField").GetString());
    }

    private async Task<long> DuplicateCodesAsync()
    {
        var scan = await fixture.Platform.Tables.ScanAsync("market.business_registration");
        using var duck = new DuckDbConnection("Data Source=:memory:");
        duck.Open();
        DataHub.Themes.Fusion.ThemeKeyFunctions.Register(duck);
        using var command = duck.CreateCommand();
        command.CommandText = $"SELECT count(k) - count(DISTINCT k) FROM (SELECT dh_credit_code(uscc) AS k FROM ({scan.Sql}))";
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
