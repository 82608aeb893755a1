using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace DataHub.Catalog.Lineage;

/// <summary>
/// Sends OpenLineage events to a Marquez-compatible endpoint: one <c>POST</c> of the event as
/// <c>application/json</c> per event, to a URL such as <c>http://marquez:5000/api/v1/lineage</c>.
/// </summary>
public sealed class OpenLineageHttpTransport
{
    private readonly HttpClient _http;

    /// <summary>Creates a transport posting to an endpoint through a client the caller owns.</summary>
    /// <param name="http">The client (its lifetime is the caller's).</param>
    /// <param name="endpoint">The absolute http(s) URL events are posted to.</param>
    /// <exception cref="ArgumentException">The endpoint is not an absolute http or https URL.</exception>
    public OpenLineageHttpTransport(HttpClient http, Uri endpoint)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(endpoint);
        if (!endpoint.IsAbsoluteUri || (endpoint.Scheme != Uri.UriSchemeHttp && endpoint.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"The OpenLineage endpoint '{endpoint}' is not an absolute http(s) URL.", nameof(endpoint));
        }

        _http = http;
        Endpoint = endpoint;
    }

    /// <summary>Where events are posted.</summary>
    public Uri Endpoint { get; }

    /// <summary>Posts one event.</summary>
    /// <param name="runEvent">The event.</param>
    /// <param name="ct">Cancels the request.</param>
    /// <exception cref="HttpRequestException">The endpoint could not be reached or answered with a status other than 2xx.</exception>
    public async Task SendAsync(JsonObject runEvent, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(runEvent);
        using var content = new StringContent(runEvent.ToJsonString(), Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await _http.PostAsync(Endpoint, content, ct);
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync(ct);
            throw new HttpRequestException(
                $"{Endpoint} answered {(int)response.StatusCode} {response.ReasonPhrase} to an OpenLineage event: {body[..Math.Min(body.Length, 500)]}",
                null,
                response.StatusCode);
        }
    }
}
