namespace DataHub.Catalog;

/// <summary>Why one input row (or one field of it) was quarantined.</summary>
/// <param name="SourceFile">The input file, as named in the run.</param>
/// <param name="Line">The 1-based line in that file, when known.</param>
/// <param name="Field">The offending field; null when the whole row is at fault.</param>
/// <param name="Reason">What is wrong, for people.</param>
public sealed record IngestRejection(string SourceFile, long? Line, string? Field, string Reason);
