using System.Net;
using System.Net.Sockets;
using System.Text;
using DataHub.Catalog.Tests;
using DataHub.Pipelines.Ingest;
using DataHub.Pipelines.Sources;
using Microsoft.AspNetCore.Http;

namespace DataHub.Pipelines.Tests;

public sealed class HttpJsonSourceTests : IAsyncLifetime, IDisposable
{
    private static readonly Dictionary<string, string> Map = new() { ["id"] = "permit_id", ["name"] = "holder_name", ["meta"] = "meta" };

    private readonly string directory = TestDirectories.Create("http-source");
    private readonly HttpClient client = new();
    private PagedEndpoint endpoint = null!;

    static HttpJsonSourceTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public async Task InitializeAsync()
    {
        endpoint = await PagedEndpoint.StartAsync();
        endpoint.Records.AddRange(Enumerable.Range(1, 7).Select(i => new { id = i, name = $"记录{i}, \"第{i}条\"", meta = new { n = i, tags = new[] { "a", "b" } } }));
    }

    public async Task DisposeAsync()
    {
        await endpoint.DisposeAsync();
        TestDirectories.Delete(directory);
    }

    public void Dispose() => client.Dispose();

    [Fact]
    public async Task All_pages_are_read_in_order_following_the_cursor()
    {
        endpoint.NullOnLastPage = true;
        var result = await Source().FetchAsync(Output("all"), Map, startCursor: null);

        Assert.Equal(7, result.File.Records);
        Assert.Equal(3, result.Pages);
        Assert.True(result.Complete);
        Assert.Equal("6", result.LastCursor);
        Assert.Equal(["/permits?limit=3", "/permits?limit=3&after=3", "/permits?limit=3&after=6"], endpoint.Requests);
        Assert.Equal(["permit_id", "holder_name", "meta"], result.File.Columns);
        var rows = NormalizedCsv.Read(result.File.DecodedPath).Rows;
        Assert.Equal(Enumerable.Range(1, 7).Select(i => $"{i}|{i}|记录{i}, \"第{i}条\"|{{\"n\":{i},\"tags\":[\"a\",\"b\"]}}"), rows.Select(NormalizedCsv.Join));
    }

    [Fact]
    public async Task An_incremental_run_starts_from_the_stored_cursor_and_stops_at_an_empty_page()
    {
        var first = await Source().FetchAsync(Output("first"), Map, startCursor: null);
        Assert.Equal(7, first.File.Records);
        Assert.Equal("7", first.LastCursor);
        Assert.Equal(4, first.Pages);

        endpoint.Records.Add(new { id = 8, name = "新增", meta = (object?)null });
        endpoint.Records.Add(new { id = 9, name = "又一条", extra = 1.50m });
        var second = await Source().FetchAsync(Output("second"), Map, first.LastCursor);

        Assert.Equal("/permits?limit=3&after=7", endpoint.Requests[4]);
        Assert.Equal(["1|8|新增|∅|∅", "2|9|又一条|∅|1.50"], NormalizedCsv.Read(second.File.DecodedPath).Rows.Select(NormalizedCsv.Join));
        Assert.Equal(["id", "name", "meta", "extra"], second.File.Headers);
        Assert.Equal("9", second.LastCursor);

        var third = await Source().FetchAsync(Output("third"), Map, second.LastCursor);
        Assert.Equal(0, third.File.Records);
        Assert.Equal("9", third.LastCursor);
    }

    [Fact]
    public async Task A_transient_503_is_retried_and_the_run_succeeds()
    {
        endpoint.NullOnLastPage = true;
        endpoint.Override = async (n, context) =>
        {
            if (n != 2)
            {
                return false;
            }

            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            await context.Response.WriteAsync("busy");
            return true;
        };

        var result = await Source().FetchAsync(Output("retry"), Map, null);

        Assert.Equal(7, result.File.Records);
        Assert.Equal(["/permits?limit=3", "/permits?limit=3&after=3", "/permits?limit=3&after=3", "/permits?limit=3&after=6"], endpoint.Requests);
    }

    [Fact]
    public async Task A_404_fails_at_once_naming_the_url_and_status()
    {
        var source = new HttpJsonSource(client, Options() with { Url = endpoint.Url("/no-such-thing?limit=3") });
        var error = await Assert.ThrowsAsync<IngestException>(() => source.FetchAsync(Output("404"), Map, null));

        Assert.Contains(endpoint.Url("/no-such-thing?limit=3"), error.Message, StringComparison.Ordinal);
        Assert.Contains("404", error.Message, StringComparison.Ordinal);
        Assert.Single(endpoint.Requests);
    }

    [Fact]
    public async Task Persistent_failures_give_up_after_the_retries()
    {
        endpoint.Override = (_, context) =>
        {
            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            return Task.FromResult(true);
        };
        var error = await Assert.ThrowsAsync<IngestException>(() => Source().FetchAsync(Output("500"), Map, null));
        Assert.Contains("failed after 4 attempts", error.Message, StringComparison.Ordinal);
        Assert.Contains("500", error.Message, StringComparison.Ordinal);
        Assert.Equal(4, endpoint.Requests.Count);

        var refused = new HttpJsonSource(client, Options() with { Url = $"http://127.0.0.1:{ClosedPort()}/permits" });
        error = await Assert.ThrowsAsync<IngestException>(() => refused.FetchAsync(Output("refused"), Map, null));
        Assert.Contains("failed after 4 attempts", error.Message, StringComparison.Ordinal);

        endpoint.Override = async (_, context) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(5), context.RequestAborted);
            return true;
        };
        var slow = new HttpJsonSource(client, Options() with { RequestTimeout = TimeSpan.FromMilliseconds(200), Retries = 1 });
        error = await Assert.ThrowsAsync<IngestException>(() => slow.FetchAsync(Output("slow"), Map, null));
        Assert.Contains("failed after 2 attempts; the last: no answer within 0.2 s", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Limits_stop_or_fail_the_run()
    {
        var capped = await new HttpJsonSource(client, Options() with { MaxPages = 2 }).FetchAsync(Output("pages"), Map, null);
        Assert.False(capped.Complete);
        Assert.Equal(6, capped.File.Records);
        Assert.Equal("6", capped.LastCursor);

        var error = await Assert.ThrowsAsync<IngestException>(() =>
            new HttpJsonSource(client, Options() with { MaxPageBytes = 100 }).FetchAsync(Output("bytes"), Map, null));
        Assert.Contains("more than the 100", error.Message, StringComparison.Ordinal);

        Assert.Throws<IngestException>(() => new HttpJsonSource(client, Options() with { Url = "ftp://127.0.0.1/permits" }));
        Assert.Throws<IngestException>(() => new HttpJsonSource(client, Options() with { Url = "/permits" }));
        Assert.Throws<IngestException>(() => new HttpJsonSource(client, Options() with { CursorParam = null }));
    }

    [Fact]
    public async Task Records_that_are_not_objects_are_reported_and_other_charsets_are_decoded()
    {
        endpoint.Override = async (_, context) =>
        {
            context.Response.ContentType = "application/json; charset=gbk";
            var page = """{"data": {"items": [{"id": 1, "name": "张三"}, "不是对象", {"id": 3, "name": "王五"}]}, "paging": {"next": null}}""";
            await context.Response.Body.WriteAsync(Encoding.GetEncoding(936).GetBytes(page));
            return true;
        };

        var result = await Source().FetchAsync(Output("gbk"), Map, null);

        Assert.Equal(2, result.File.Records);
        var rejection = Assert.Single(result.File.Rejected!);
        Assert.Equal(2, rejection.Line);
        Assert.Equal("\"不是对象\"", rejection.RawText);
        Assert.Equal(["1|1|张三|∅", "3|3|王五|∅"], NormalizedCsv.Read(result.File.DecodedPath).Rows.Select(NormalizedCsv.Join));
    }

    [Fact]
    public async Task A_page_without_the_records_array_fails_clearly()
    {
        var source = new HttpJsonSource(client, Options() with { RecordsPath = "data.rows" });
        var error = await Assert.ThrowsAsync<IngestException>(() => source.FetchAsync(Output("shape"), Map, null));
        Assert.Contains("page 1", error.Message, StringComparison.Ordinal);
        Assert.Contains("data.rows", error.Message, StringComparison.Ordinal);
    }

    private HttpSourceOptions Options() =>
        new(endpoint.Url("/permits"), RecordsPath: "data.items", CursorPath: "paging.next", CursorParam: "after", PageSizeParam: "limit", PageSize: 3)
        {
            RetryDelay = TimeSpan.FromMilliseconds(10),
        };

    private HttpJsonSource Source() => new(client, Options());

    private static int ClosedPort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private string Output(string name) => Path.Combine(directory, $"{name}.normalised.csv");
}
