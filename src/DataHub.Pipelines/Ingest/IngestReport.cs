using DataHub.Catalog;

namespace DataHub.Pipelines.Ingest;

/// <summary>What one ingest run did. <c>RowsRead = RowsCommitted + RowsQuarantined</c> always holds.</summary>
/// <param name="RunId">The catalog's run id.</param>
/// <param name="Dataset">The target table.</param>
/// <param name="Files">The source files read.</param>
/// <param name="RowsRead">Data records read from all files.</param>
/// <param name="RowsCommitted">Rows written to the lake.</param>
/// <param name="RowsQuarantined">Rows set aside with a reason.</param>
/// <param name="DataFile">The lake file written, relative to the lake root (null when nothing was committed).</param>
/// <param name="SnapshotId">The lake snapshot the run committed (null when nothing was committed).</param>
/// <param name="QuarantineFile">The Parquet file of rejected rows (null when none).</param>
/// <param name="Rejections">Every rejected row: file, line, field and reason.</param>
public sealed record IngestReport(
    long RunId,
    string Dataset,
    IReadOnlyList<DecodedFile> Files,
    long RowsRead,
    long RowsCommitted,
    long RowsQuarantined,
    string? DataFile,
    long? SnapshotId,
    string? QuarantineFile,
    IReadOnlyList<IngestRejection> Rejections)
{
    /// <summary>The OpenLineage run id of the run's events and column lineage; null when lineage was not emitted.</summary>
    public Guid? LineageRunId { get; init; }

    /// <summary>Rows written to the target (the accepted rows, or what the transformation made of them).</summary>
    public long RowsWritten { get; init; }

    /// <summary>Seconds spent in each phase of the run (decode, parse and type, quality gate, …, write and commit).</summary>
    public IReadOnlyDictionary<string, double> Phases { get; init; } = new Dictionary<string, double>();

    /// <summary>The gate's rules and how many rows each rejected.</summary>
    public IReadOnlyList<GateCheck> Checks { get; init; } = [];

    /// <summary>The snapshot of <c>quarantine.rejected_rows</c> holding this run's rejected rows, if any.</summary>
    public long? QuarantineSnapshotId { get; init; }

    /// <summary>
    /// Input files known to be new by their size (no earlier input of the pipeline, and no other input of the run, had
    /// it), so hashed while they were decoded instead of before; the others were hashed first and looked up.
    /// </summary>
    public int HashedBesideDecoding { get; init; }
}

/// <summary>A quality-gate rule applied at ingestion and the rows it rejected.</summary>
/// <param name="Rule">The rule id.</param>
/// <param name="Column">The column it checks, if one.</param>
/// <param name="Failed">Rows that broke it.</param>
public sealed record GateCheck(string Rule, string? Column, long Failed);
