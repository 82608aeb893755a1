using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using DataHub.Host.Platform;
using DataHub.Host.Scheduling;
using Microsoft.Extensions.Logging.Abstractions;

namespace DataHub.Host.Tests;

/// <summary>
/// The exchange as a department meets it: a private PostgreSQL in a fresh home, the water and market samples
/// ingested, the server on a free loopback port, and API keys for the parties: gas (requester and analyst),
/// water (provider's approver), market (provider), transit (analyst of another department) and the bureau.
/// </summary>
public sealed class ExchangeFixture : IAsyncLifetime
{
    public PipelineRunner Runner { get; private set; } = null!;

    private readonly string _home = Directory.CreateTempSubdirectory("datahub-exchange-").FullName;

    public DataHubPlatform Platform { get; private set; } = null!;

    public DataHubServer Server { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    /// <summary>gas: requester + analyst.</summary>
    public string GasKey { get; private set; } = null!;

    /// <summary>gas: requester only (no analyst role).</summary>
    public string GasRequesterKey { get; private set; } = null!;

    /// <summary>water: approver (the provider of water.meter_reading_daily).</summary>
    public string WaterApproverKey { get; private set; } = null!;

    /// <summary>water: requester + analyst (to try self-approval).</summary>
    public string WaterRequesterKey { get; private set; } = null!;

    /// <summary>transit: requester + analyst, another department.</summary>
    public string TransitKey { get; private set; } = null!;

    /// <summary>police: approver (the provider of population.household_registration).</summary>
    public string PoliceApproverKey { get; private set; } = null!;

    /// <summary>bureau: bureau_admin.</summary>
    public string BureauKey { get; private set; } = null!;


    public async Task InitializeAsync()
    {
        var settings = new DataHubSettings { Home = _home, Urls = "http://127.0.0.1:0", Root = DataHubSettings.FindRoot() };
        Platform = await DataHubPlatform.StartAsync(settings, NullLoggerFactory.Instance, CancellationToken.None);
        Runner = new PipelineRunner(Platform, NullLoggerFactory.Instance);
        await Runner.RunAsync("water_meter_daily", CancellationToken.None);
        await Runner.RunAsync("market_business_registration", CancellationToken.None);
        await Runner.RunAsync("population_household_registration", CancellationToken.None);
        Server = await DataHubServer.StartAsync(Platform, Runner, scheduler: false, CancellationToken.None);
        Http = new HttpClient { BaseAddress = new Uri(Server.Addresses[0]) };
        var identity = Platform.Identity;
        async Task<string> Key(string department, params string[] roles) =>
            (await identity.CreateApiKeyAsync(department, null, roles, TimeSpan.FromDays(30), "test", CancellationToken.None)).Secret;
        GasKey = await Key("gas", "requester", "analyst");
        GasRequesterKey = await Key("gas", "requester");
        WaterApproverKey = await Key("water", "approver");
        WaterRequesterKey = await Key("water", "requester", "analyst");
        TransitKey = await Key("transit", "requester", "analyst");
        BureauKey = await Key("bureau", "bureau_admin");
        PoliceApproverKey = await Key("police", "approver");
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Server.DisposeAsync();
        Runner.Dispose();
        await Platform.DisposeAsync();
        Directory.Delete(_home, recursive: true);
    }

    /// <summary>Sends a call with a bearer key and an optional JSON body; returns status and body text.</summary>
    public async Task<(HttpStatusCode Status, string Body)> SendAsync(HttpMethod method, string path, string? key, object? body = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        if (body is not null)
        {
            request.Content = body is string text ? new StringContent(text, System.Text.Encoding.UTF8, "application/json") : JsonContent.Create(body);
        }

        using var response = await Http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Files a request of gas for water readings and has water approve it; returns the grant id.</summary>
    public async Task<long> GrantWaterToGasAsync(string delivery, object[]? filters = null, string[]? plain = null, string[]? columns = null)
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var (status, body) = await SendAsync(HttpMethod.Post, "/api/v1/exchange/requests", GasKey, new
        {
            dataset = "water.meter_reading_daily",
            columns = columns ?? new[] { "account_no", "reading_date", "usage_m3", "address", "district_code" },
            filters = filters ?? [new { field = "district_code", @operator = "in", values = new[] { "340102", "340111" } }],
            purpose = "燃气与供水联合核查空置房",
            legalBasis = "《合肥市公共数据管理办法》第二十条",
            delivery,
            periodFrom = today.AddDays(-1),
            periodUntil = today.AddDays(30),
        });
        Assert.True(status == HttpStatusCode.Created, body);
        var requestId = JsonDocument.Parse(body).RootElement.GetProperty("requestId").GetInt64();
        (status, body) = await SendAsync(HttpMethod.Post, $"/api/v1/exchange/requests/{requestId}/decision", WaterApproverKey,
            new { approve = true, reason = "用途明确，范围限于两区", plainColumns = plain ?? [] });
        Assert.True(status == HttpStatusCode.OK, body);
        using var decided = JsonDocument.Parse(body);
        Assert.Equal("granted", decided.RootElement.GetProperty("status").GetString());
        return decided.RootElement.GetProperty("grantId").GetInt64();
    }
}
