using DataHub.Pipelines.Ingest;

namespace DataHub.Pipelines.Sources;

/// <summary>What one run of a <see cref="PostgresSource"/> read.</summary>
/// <param name="File">The normalised CSV of the batch; <c>__line</c> is each row's 1-based ordinal within the batch.</param>
/// <param name="Watermark">
/// The watermark to store for the next run: the greatest watermark value read (the last row's, in the database's
/// order), rendered as text; the previous watermark when no row was read; null without a watermark column.
/// </param>
public sealed record PostgresFetchResult(DecodedFile File, string? Watermark);
