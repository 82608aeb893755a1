using System.Net;
using System.Text.Json.Nodes;
using DataHub.Catalog.Lineage;
using DataHub.Catalog.Tests.Lineage.Schema;
using Microsoft.Extensions.Logging.Abstractions;

namespace DataHub.Catalog.Tests.Lineage;

/// <summary>Emission end to end: events recorded in PostgreSQL and posted to a real HTTP listener on loopback.</summary>
[Collection(PostgresTestGroup.Name)]
public sealed class LineageEmitterTests(PostgresFixture fixture) : IAsyncLifetime, IDisposable
{
    private readonly LineageReceiver receiver = new();
    private readonly HttpClient http = new();
    private LineageStore store = null!;

    public async Task InitializeAsync() => store = new LineageStore(await fixture.ClassDatabaseAsync(GetType()));

    public async Task DisposeAsync() => await receiver.DisposeAsync();

    public void Dispose() => http.Dispose();

    private LineageEmitter Emitter(OpenLineageHttpTransport? transport) =>
        new(store, new OpenLineageEventBuilder(), transport, TimeProvider.System, NullLogger.Instance);

    [Fact]
    public async Task Events_are_recorded_and_posted_as_json_to_the_lineage_endpoint()
    {
        var emitter = Emitter(new OpenLineageHttpTransport(http, receiver.Endpoint));
        var run = LineageSamples.Ingest(Guid.CreateVersion7());

        await emitter.EmitAsync(run with { Edges = [] }, LineageEventType.Start);
        await emitter.EmitAsync(run, LineageEventType.Complete);

        var posts = receiver.Received;
        Assert.Equal(2, posts.Count);
        Assert.All(posts, p => Assert.Equal(("POST", "/api/v1/lineage"), (p.Method, p.Path)));
        Assert.All(posts, p => Assert.StartsWith("application/json", p.ContentType, StringComparison.Ordinal));
        var events = posts.Select(p => JsonNode.Parse(p.Body)!).ToList();
        Assert.All(events, e => Assert.Empty(OpenLineageSchemas.Validate(e)));
        Assert.Equal(["START", "COMPLETE"], events.Select(e => (string?)e["eventType"]));
        Assert.All(events, e => Assert.Equal(run.RunId.ToString(), (string?)e["run"]!["runId"]));
        var stored = await store.GetEventsAsync(run.RunId);
        Assert.Equal(2, stored.Count);
        Assert.All(stored.Zip(events), pair => Assert.True(JsonNode.DeepEquals(pair.First, pair.Second)));
    }

    [Fact]
    public async Task A_refusing_endpoint_raises_with_its_status_and_the_emitter_still_records_the_event()
    {
        receiver.Status = 500;
        var transport = new OpenLineageHttpTransport(http, receiver.Endpoint);
        var run = LineageSamples.Ingest(Guid.CreateVersion7());
        var e = new OpenLineageEventBuilder().Build(run, LineageEventType.Start, DateTimeOffset.UtcNow);

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => transport.SendAsync(e));
        Assert.Equal(HttpStatusCode.InternalServerError, error.StatusCode);

        await Emitter(transport).EmitAsync(run, LineageEventType.Complete);
        Assert.Single(await store.GetEventsAsync(run.RunId));
        Assert.NotNull(await store.GetGraphAsync(LineageSamples.Table, LineageDirection.Up, 1));
    }

    [Fact]
    public async Task Without_a_transport_nothing_is_posted()
    {
        var run = LineageSamples.Ingest(Guid.CreateVersion7());
        await Emitter(null).EmitAsync(run, LineageEventType.Complete);
        Assert.Empty(receiver.Received);
        Assert.Single(await store.GetEventsAsync(run.RunId));
    }

    [Theory]
    [InlineData("ftp://example.org/lineage")]
    [InlineData("/api/v1/lineage")]
    public void Only_absolute_http_endpoints_are_accepted(string url) =>
        Assert.Throws<ArgumentException>(() => new OpenLineageHttpTransport(http, new Uri(url, UriKind.RelativeOrAbsolute)));
}
