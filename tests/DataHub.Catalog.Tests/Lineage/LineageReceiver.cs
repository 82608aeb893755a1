using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace DataHub.Catalog.Tests.Lineage;

/// <summary>
/// A real HTTP endpoint on a free loopback port that stands in for Marquez: it keeps every request it receives and
/// answers with <see cref="Status"/>. Shared with the host tests.
/// </summary>
internal sealed class LineageReceiver : IAsyncDisposable
{
    private readonly HttpListener listener = new();
    private readonly ConcurrentQueue<(string Method, string Path, string? ContentType, string Body)> received = new();
    private readonly Task serving;

    public LineageReceiver()
    {
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        Endpoint = new Uri($"http://127.0.0.1:{port}/api/v1/lineage");
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        serving = ServeAsync();
    }

    /// <summary>The URL to post events to.</summary>
    public Uri Endpoint { get; }

    /// <summary>The status every request is answered with.</summary>
    public int Status { get; set; } = 201;

    /// <summary>The requests received so far, in order.</summary>
    public IReadOnlyList<(string Method, string Path, string? ContentType, string Body)> Received => received.ToList();

    private async Task ServeAsync()
    {
        while (true)
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
            context.Response.StatusCode = Status;
            context.Response.Close();
        }
    }

    public async ValueTask DisposeAsync()
    {
        listener.Stop();
        await serving;
        listener.Close();
    }
}
