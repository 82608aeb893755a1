namespace DataHub.Pipelines.Ingest;

/// <summary>A source decoded into the normalised CSV that DuckDB reads (see <see cref="DataHub.Pipelines.Sources.NormalizedCsvWriter"/>).</summary>
/// <param name="SourcePath">The department's file (for a database or HTTP source, a description of it without secrets).</param>
/// <param name="DecodedPath">The normalised copy DuckDB reads.</param>
/// <param name="Encoding">The encoding the source was read in.</param>
/// <param name="Headers">The source headers (CSV), fields (JSON) or result columns (PostgreSQL), one per entry of <paramref name="Columns"/>.</param>
/// <param name="Columns">The physical column each header maps to (<c>__extra_N</c> when unmapped); exactly the normalised CSV's columns after <c>__line</c>.</param>
/// <param name="Records">Records (data rows) written to the normalised CSV.</param>
/// <param name="Lines">Physical lines in the source (for row-numbered sources, the records read).</param>
/// <param name="Rejected">
/// Records the decoder could not write (malformed NDJSON lines, JSON records that are not objects), with their line
/// and raw text; null for decoders that reject nothing themselves, such as the CSV decoder.
/// </param>
public sealed record DecodedFile(
    string SourcePath,
    string DecodedPath,
    string Encoding,
    IReadOnlyList<string> Headers,
    IReadOnlyList<string> Columns,
    long Records,
    long Lines,
    IReadOnlyList<DecodeRejection>? Rejected = null);
