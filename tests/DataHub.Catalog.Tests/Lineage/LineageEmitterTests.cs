using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using DataHub.Catalog.Lineage;
using DataHub.Catalog.Tests.Lineage.Schema;
using Microsoft.Extensions.Logging.Abstractions;

namespace DataHub.Catalog.Tests.Lineage;

/// <summary>Emission end to end: events recorded in PostgreSQL and posted to a real HTTP listener on loopback.</summary>
[Collection(PostgresTestGroup.Name)]
public sealed class LineageEmitterTests(PostgresFixture fixture) : IAsyncLifetime, IDisposable
{
    private readonly HttpListener listener = new();
    private readonly ConcurrentQueue<(string Method, string Path, string? ContentType, string Body)> received = new();
    private readonly HttpClient http = new();
    private Task serving = Task.CompletedTask;
    private int status = 201;
    private LineageStore store = null!;
    private Uri endpoint = null!;

    public async Task InitializeAsync()
    {
        store = new LineageStore(await fixture.ClassDatabaseAsync(GetType()));
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            endpoint = new Uri($"http://127.0.0.1:{((IPEndPoint)probe.LocalEndpoint).Port}/api/v1/lineage");
        }

        listener.Prefixes.Add($"http://127.0.0.1:{endpoint.Port}/");
        listener.Start();
        serving = ServeAsync();
    }

    private async Task ServeAsync()
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            using var reader = new StreamReader(context.Request.InputStream);
            received.Enqueue((context.Request.HttpMethod, context.Request.Url!.AbsolutePath, context.Request.ContentType, await reader.ReadToEndAsync()));
            context.Response.StatusCode = status;
            context.Response.Close();
        }
    }

    public async Task DisposeAsync()
    {
        listener.Stop();
        await serving;
    }

    public void Dispose()
    {
        listener.Close();
        http.Dispose();
    }

    private LineageEmitter Emitter(OpenLineageHttpTransport? transport) =>
        new(store, new OpenLineageEventBuilder(), transport, TimeProvider.System, NullLogger.Instance);

    [Fact]
    public async Task Events_are_recorded_and_posted_as_json_to_the_lineage_endpoint()
    {
        var emitter = Emitter(new OpenLineageHttpTransport(http, endpoint));
        var run = LineageSamples.Ingest(Guid.CreateVersion7());

        await emitter.EmitAsync(run with { Edges = [] }, LineageEventType.Start);
        await emitter.EmitAsync(run, LineageEventType.Complete);

        var posts = received.ToList();
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
        status = 500;
        var transport = new OpenLineageHttpTransport(http, endpoint);
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
        Assert.Empty(received);
        Assert.Single(await store.GetEventsAsync(run.RunId));
    }

    [Theory]
    [InlineData("ftp://example.org/lineage")]
    [InlineData("/api/v1/lineage")]
    public void Only_absolute_http_endpoints_are_accepted(string url) =>
        Assert.Throws<ArgumentException>(() => new OpenLineageHttpTransport(http, new Uri(url, UriKind.RelativeOrAbsolute)));
}
