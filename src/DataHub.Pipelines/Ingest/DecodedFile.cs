namespace DataHub.Pipelines.Ingest;

/// <summary>A source file decoded to UTF-8 for DuckDB.</summary>
/// <param name="SourcePath">The department's file.</param>
/// <param name="DecodedPath">The normalised copy DuckDB reads.</param>
/// <param name="Encoding">The encoding the source was read in.</param>
/// <param name="Headers">The source headers as written.</param>
/// <param name="Columns">The physical column each header maps to (<c>__extra_N</c> when unmapped).</param>
/// <param name="Records">Records (data rows) found.</param>
/// <param name="Lines">Physical lines in the source.</param>
public sealed record DecodedFile(
    string SourcePath,
    string DecodedPath,
    string Encoding,
    IReadOnlyList<string> Headers,
    IReadOnlyList<string> Columns,
    long Records,
    long Lines);
