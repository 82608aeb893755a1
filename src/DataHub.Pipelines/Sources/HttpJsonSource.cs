using System.Buffers;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using DataHub.Pipelines.Ingest;

namespace DataHub.Pipelines.Sources;

/// <summary>
/// Reads a paged JSON HTTP endpoint into the normalised CSV ingestion reads (see <see cref="NormalizedCsvWriter"/>):
/// GET the URL, take the records array of the page, send the page's next cursor back as a query parameter, until the
/// next cursor is null, empty or absent, a page has no records, or the page limit is reached.
/// </summary>
/// <remarks>
/// <para>Records are handled as in <see cref="JsonSourceDecoder"/>: each a JSON object whose top-level fields map to
/// columns (unmapped ones kept as <c>__extra_N</c>), nested values as compact JSON; a record that is not an object is
/// reported in <see cref="DecodedFile.Rejected"/>. <c>__line</c> is the record's 1-based ordinal over the run.</para>
/// <para>A transient failure — a 5xx, 408 or 429 answer, a timeout, a refused or broken connection — is retried
/// <see cref="HttpSourceOptions.Retries"/> times with exponential backoff; any other answer that is not a success
/// fails the run at once, naming the URL and the status. A page larger than
/// <see cref="HttpSourceOptions.MaxPageBytes"/> fails the run. A page in a charset other than UTF-8 (as its
/// Content-Type says) is transcoded.</para>
/// </remarks>
public sealed class HttpJsonSource
{
    private const string EnvironmentPrefix = "env:";

    private readonly HttpClient client;

    static HttpJsonSource() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <summary>Creates a source over a client the caller owns; the options are checked here.</summary>
    /// <param name="client">The HTTP client (its own timeout should not be shorter than <see cref="HttpSourceOptions.RequestTimeout"/>).</param>
    /// <param name="options">Endpoint, paths and limits.</param>
    /// <exception cref="IngestException">The options are not usable.</exception>
    public HttpJsonSource(HttpClient client, HttpSourceOptions options)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Validate();
        if (problems.Count > 0)
        {
            throw new IngestException($"HTTP source {options.Url}: {string.Join(" ", problems)}");
        }

        this.client = client;
        Options = options;
    }

    /// <summary>The options.</summary>
    public HttpSourceOptions Options { get; }

    /// <summary>Reads the pages from <paramref name="startCursor"/> on into <paramref name="outputPath"/>.</summary>
    /// <param name="outputPath">The normalised CSV to write.</param>
    /// <param name="fieldToColumn">Source field name (case-sensitive) → physical column.</param>
    /// <param name="startCursor">The cursor the previous run returned, to go on from there; null to read from the start.</param>
    /// <param name="ct">Cancels the run.</param>
    /// <exception cref="IngestException">
    /// A request failed for good (a 4xx answer, or a transient failure past the retries), a page is too large, not
    /// valid JSON or has no records array where the options say, or too many records were rejected.
    /// </exception>
    public async Task<HttpFetchResult> FetchAsync(string outputPath, IReadOnlyDictionary<string, string> fieldToColumn, string? startCursor, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(outputPath);
        var headers = ResolveHeaders();
        using var table = new RecordTable(outputPath, fieldToColumn, Options.MaxRejected, Options.Url);
        var sink = new OrdinalSink(table);
        using var parser = new JsonRecordParser(JsonRecordParser.SplitPath(Options.RecordsPath), sink, _ => 0);
        var cursor = string.IsNullOrEmpty(startCursor) ? null : startCursor;
        if (cursor is not null && string.IsNullOrWhiteSpace(Options.CursorParam))
        {
            throw new IngestException($"HTTP source {Options.Url}: a start cursor was given but the source has no cursor_param to send it with.");
        }

        var pages = 0;
        while (true)
        {
            if (pages == Options.MaxPages)
            {
                return new HttpFetchResult(table.Complete(Options.Url, "utf-8", sink.Ordinal), cursor, pages, Complete: false);
            }

            var url = PageUrl(cursor);
            var page = await GetAsync(url, headers, ct);
            pages++;
            var before = sink.Ordinal;
            Parse(parser, page, url, pages);
            var next = string.IsNullOrWhiteSpace(Options.CursorPath) ? null : CursorOf(page, url, pages);
            if (sink.Ordinal == before || string.IsNullOrEmpty(next) || next == cursor)
            {
                // No records, no next cursor, or a cursor that does not move on: the endpoint has nothing more now.
                var last = string.IsNullOrEmpty(next) ? cursor : next;
                return new HttpFetchResult(table.Complete(Options.Url, "utf-8", sink.Ordinal), last, pages, Complete: true);
            }

            cursor = next;
        }
    }

    private Dictionary<string, string> ResolveHeaders()
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in Options.Headers ?? new Dictionary<string, string>())
        {
            var resolved = value;
            if (value.StartsWith(EnvironmentPrefix, StringComparison.Ordinal))
            {
                var variable = value[EnvironmentPrefix.Length..].Trim();
                resolved = Environment.GetEnvironmentVariable(variable)
                           ?? throw new IngestException($"HTTP source {Options.Url}: the environment variable '{variable}' for header '{name}' is not set.");
            }

            headers[name] = resolved;
        }

        return headers;
    }

    private Uri PageUrl(string? cursor)
    {
        var builder = new UriBuilder(Options.Url);
        var query = new StringBuilder(builder.Query.TrimStart('?'));
        void Add(string name, string value)
        {
            if (query.Length > 0)
            {
                query.Append('&');
            }

            query.Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value));
        }

        if (!string.IsNullOrWhiteSpace(Options.PageSizeParam) && Options.PageSize is { } size)
        {
            Add(Options.PageSizeParam, size.ToString(CultureInfo.InvariantCulture));
        }

        if (cursor is not null)
        {
            Add(Options.CursorParam!, cursor);
        }

        builder.Query = query.ToString();
        return builder.Uri;
    }

    /// <summary>GETs one page, retrying transient failures; returns its body as UTF-8 without BOM.</summary>
    private async Task<byte[]> GetAsync(Uri url, Dictionary<string, string> headers, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            string failure;
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                timeout.CancelAfter(Options.RequestTimeout);
                using var request = new HttpRequestMessage(HttpMethod.Get, url);
                request.Headers.Accept.ParseAdd("application/json");
                foreach (var (name, value) in headers)
                {
                    request.Headers.TryAddWithoutValidation(name, value);
                }

                using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
                var status = (int)response.StatusCode;
                if (response.IsSuccessStatusCode)
                {
                    return await ReadBodyAsync(response, url, timeout.Token);
                }

                failure = $"{status} {response.ReasonPhrase}";
                if (status < 500 && response.StatusCode is not (HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests))
                {
                    throw new IngestException($"GET {url} answered {failure}.");
                }
            }
            catch (HttpRequestException e)
            {
                failure = e.InnerException is null ? e.Message : $"{e.Message} ({e.InnerException.Message})";
            }
            catch (IOException e)
            {
                failure = e.Message;
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                failure = $"no answer within {Options.RequestTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s";
            }

            if (attempt >= Options.Retries)
            {
                throw new IngestException($"GET {url} failed after {attempt + 1} attempts; the last: {failure}.");
            }

            await Task.Delay(Options.RetryDelay * Math.Pow(2, attempt), ct);
        }
    }

    private async Task<byte[]> ReadBodyAsync(HttpResponseMessage response, Uri url, CancellationToken ct)
    {
        var limit = Options.MaxPageBytes;
        if (response.Content.Headers.ContentLength > limit)
        {
            throw new IngestException($"GET {url}: the page is {response.Content.Headers.ContentLength} bytes, more than the {limit} allowed.");
        }

        await using var stream = await response.Content.ReadAsStreamAsync(ct);
        using var body = new MemoryStream();
        var chunk = ArrayPool<byte>.Shared.Rent(1 << 16);
        try
        {
            int read;
            while ((read = await stream.ReadAsync(chunk, ct)) > 0)
            {
                if (body.Length + read > limit)
                {
                    throw new IngestException($"GET {url}: the page is more than the {limit} bytes allowed.");
                }

                body.Write(chunk, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        var bytes = body.ToArray();
        var charset = response.Content.Headers.ContentType?.CharSet?.Trim('"', ' ');
        if (!string.IsNullOrEmpty(charset) && !charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase) && !charset.Equals("utf8", StringComparison.OrdinalIgnoreCase))
        {
            Encoding encoding;
            try
            {
                encoding = Encoding.GetEncoding(charset);
            }
            catch (ArgumentException)
            {
                throw new IngestException($"GET {url}: the page's charset '{charset}' is not known.");
            }

            bytes = Encoding.UTF8.GetBytes(encoding.GetString(bytes));
        }

        return bytes.AsSpan().StartsWith("\uFEFF"u8) ? bytes[3..] : bytes;
    }

    private static void Parse(JsonRecordParser parser, byte[] page, Uri url, int number)
    {
        parser.Reset();
        var reader = new Utf8JsonReader(page, JsonRecordParser.ReaderOptions);
        try
        {
            while (reader.Read())
            {
                parser.Handle(ref reader);
            }
        }
        catch (JsonException e)
        {
            throw new IngestException($"GET {url}: page {number} is not valid JSON: {e.Message}", e);
        }
        catch (JsonShapeException e)
        {
            throw new IngestException($"GET {url}: page {number}: {e.Message}", e);
        }
        catch (InvalidOperationException e)
        {
            throw new IngestException($"GET {url}: page {number}: {e.Message}", e);
        }
    }

    private string? CursorOf(byte[] page, Uri url, int number)
    {
        using var document = JsonDocument.Parse(page, new JsonDocumentOptions { MaxDepth = JsonRecordParser.MaxDepth });
        var element = document.RootElement;
        foreach (var name in JsonRecordParser.SplitPath(Options.CursorPath))
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out element))
            {
                return null;
            }
        }

        return element.ValueKind switch
        {
            JsonValueKind.String => element.GetString(),
            JsonValueKind.Number => element.GetRawText(),
            JsonValueKind.Null or JsonValueKind.Undefined => null,
            _ => throw new IngestException($"GET {url}: page {number}: the cursor at '{Options.CursorPath}' is {element.ValueKind.ToString().ToLowerInvariant()}, not a string or number."),
        };
    }

    /// <summary>Numbers records (and rejections) 1, 2, 3 … over the whole run.</summary>
    private sealed class OrdinalSink(RecordTable table) : IJsonRecordSink
    {
        public long Ordinal { get; private set; }

        public void Record(long line, List<KeyValuePair<string, string?>> fields) => table.Add(++Ordinal, fields);

        public void Rejected(long line, string reason, string raw) => table.Reject(++Ordinal, reason, raw);
    }
}
