using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DataHub.Pipelines.Tests;

/// <summary>
/// A real HTTP endpoint (Kestrel on a free loopback port) serving a list of records in pages:
/// <c>GET /permits?limit=N&amp;after=K</c> answers <c>{"data": {"items": [...]}, "paging": {"next": "K+n"}}</c>.
/// The next cursor is always given (a change feed), or null on the last page when <see cref="NullOnLastPage"/>.
/// <see cref="Override"/> can answer a request differently (an error status, a delay …).
/// </summary>
internal sealed class PagedEndpoint : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentQueue<string> requests = new();

    private PagedEndpoint(WebApplication app) => this.app = app;

    /// <summary>The records served, in order; tests add to it between runs.</summary>
    public List<object> Records { get; } = [];

    public bool NullOnLastPage { get; set; }

    /// <summary>Answers request number n (1-based) itself when it returns true.</summary>
    public Func<int, HttpContext, Task<bool>>? Override { get; set; }

    public Uri Address { get; private set; } = null!;

    /// <summary>The path and query of every request, in order.</summary>
    public IReadOnlyList<string> Requests => [.. requests];

    public static async Task<PagedEndpoint> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var endpoint = new PagedEndpoint(builder.Build());
        endpoint.app.Run(endpoint.ServeAsync);
        await endpoint.app.StartAsync();
        var address = endpoint.app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        endpoint.Address = new Uri(address);
        return endpoint;
    }

    public string Url(string pathAndQuery) => new Uri(Address, pathAndQuery).ToString();

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }

    private async Task ServeAsync(HttpContext context)
    {
        requests.Enqueue(context.Request.Path + context.Request.QueryString);
        if (Override is { } answer && await answer(requests.Count, context))
        {
            return;
        }

        if (context.Request.Path != "/permits")
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        var limit = int.Parse(context.Request.Query["limit"].SingleOrDefault() ?? "3", System.Globalization.CultureInfo.InvariantCulture);
        var after = int.Parse(context.Request.Query["after"].SingleOrDefault() ?? "0", System.Globalization.CultureInfo.InvariantCulture);
        List<object> records;
        lock (Records)
        {
            records = Records.Skip(after).Take(limit).ToList();
        }

        var last = after + records.Count >= Records.Count;
        string? next = NullOnLastPage && last ? null : (after + records.Count).ToString(System.Globalization.CultureInfo.InvariantCulture);
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(JsonSerializer.Serialize(new { data = new { items = records }, paging = new { next } }));
    }
}
