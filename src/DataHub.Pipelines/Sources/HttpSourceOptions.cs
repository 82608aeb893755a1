namespace DataHub.Pipelines.Sources;

/// <summary>A paged JSON HTTP endpoint read by <see cref="HttpJsonSource"/>.</summary>
/// <param name="Url">The endpoint, <c>http</c> or <c>https</c> only; its own query string is kept.</param>
/// <param name="RecordsPath">The dot path of the records array in each page (such as <c>data.items</c>); null or empty when a page is the array itself.</param>
/// <param name="CursorPath">The dot path of the next page's cursor in each page (such as <c>meta.next</c>); null for an endpoint with one page.</param>
/// <param name="CursorParam">The query parameter that sends a cursor back (such as <c>cursor</c>); needed with <paramref name="CursorPath"/>.</param>
/// <param name="PageSizeParam">The query parameter that asks for a page size (such as <c>limit</c>), or null.</param>
/// <param name="PageSize">The page size to ask for, with <paramref name="PageSizeParam"/>.</param>
public sealed record HttpSourceOptions(
    string Url,
    string? RecordsPath = null,
    string? CursorPath = null,
    string? CursorParam = null,
    string? PageSizeParam = null,
    int? PageSize = null)
{
    /// <summary>Request headers (an API key …); a value <c>env:NAME</c> is read from the environment variable NAME.</summary>
    public IReadOnlyDictionary<string, string>? Headers { get; init; }

    /// <summary>The most pages one run reads; a run that reaches it stops there and returns the cursor to go on from.</summary>
    public int MaxPages { get; init; } = 10_000;

    /// <summary>The largest page body accepted, in bytes; a larger page fails the run.</summary>
    public long MaxPageBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>How many times a transient failure (5xx, 408, 429, timeout, refused or broken connection) is retried.</summary>
    public int Retries { get; init; } = 3;

    /// <summary>The wait before the first retry; it doubles for each further one.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long one request, body included, may take before it counts as a transient failure.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(100);

    /// <summary>The most records a run may reject (records that are not JSON objects) before it fails as a whole.</summary>
    public int MaxRejected { get; init; } = 10_000;

    /// <summary>What is wrong with these options; empty when they are usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (!Uri.TryCreate(Url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            problems.Add($"url '{Url}' is not an absolute http or https URL.");
        }

        if (string.IsNullOrWhiteSpace(CursorPath) != string.IsNullOrWhiteSpace(CursorParam))
        {
            problems.Add("cursor and cursor_param go together.");
        }

        if (string.IsNullOrWhiteSpace(PageSizeParam) != PageSize is null)
        {
            problems.Add("page_size_param and page_size go together.");
        }

        if (PageSize is <= 0)
        {
            problems.Add("page_size must be positive.");
        }

        foreach (var (name, path) in new[] { ("records", RecordsPath), ("cursor", CursorPath) })
        {
            if (!string.IsNullOrWhiteSpace(path) && JsonRecordParser.SplitPath(path).Any(string.IsNullOrEmpty))
            {
                problems.Add($"{name} path '{path}' has an empty segment.");
            }
        }

        if (Headers?.Keys.Any(string.IsNullOrWhiteSpace) == true)
        {
            problems.Add("a header name is empty.");
        }

        if (MaxPages < 1 || MaxPageBytes < 1 || Retries < 0 || MaxRejected < 0)
        {
            problems.Add("max_pages and max_page_bytes must be positive, retries and max_rejected not negative.");
        }

        if (RetryDelay < TimeSpan.Zero || RequestTimeout <= TimeSpan.Zero)
        {
            problems.Add("retry_delay cannot be negative and request_timeout must be positive.");
        }

        return problems;
    }
}
