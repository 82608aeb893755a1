namespace DataHub.Catalog.Lineage;

/// <summary>What one run of a job read and wrote, and which input columns produced each output column.</summary>
/// <param name="RunId">The run's id (a UUID, the OpenLineage <c>runId</c>).</param>
/// <param name="JobNamespace">The job namespace, such as <c>datahub</c>.</param>
/// <param name="JobName">The job, such as the pipeline <c>water_meter_daily</c>.</param>
/// <param name="Inputs">The datasets read.</param>
/// <param name="Outputs">The datasets written.</param>
/// <param name="Edges">The column lineage; empty until it is known.</param>
public sealed record LineageRun(
    Guid RunId,
    string JobNamespace,
    string JobName,
    IReadOnlyList<LineageDatasetSchema> Inputs,
    IReadOnlyList<LineageDatasetSchema> Outputs,
    IReadOnlyList<ColumnLineageEdge> Edges)
{
    /// <summary>What the run measured (rows per input, rows written, quality checks), emitted as OpenLineage quality facets.</summary>
    public LineageQuality? Quality { get; init; }
}

/// <summary>
/// A run's measurements: <c>dataQualityMetrics</c> and <c>dataQualityAssertions</c> on each input,
/// <c>outputStatistics</c> on the outputs.
/// </summary>
/// <param name="InputRows">Rows read per input dataset name.</param>
/// <param name="RowsWritten">Rows committed to the outputs.</param>
/// <param name="BytesWritten">Bytes of the files written (0 when unknown).</param>
/// <param name="Assertions">Each check applied to the rows read: the rule, whether no row broke it, its column.</param>
public sealed record LineageQuality(
    IReadOnlyDictionary<string, long> InputRows,
    long RowsWritten,
    long BytesWritten,
    IReadOnlyList<LineageAssertion> Assertions);

/// <summary>One quality check applied to a run's input.</summary>
/// <param name="Assertion">The rule id or kind, e.g. <c>water.account_no.format</c>.</param>
/// <param name="Success">True when no row broke it.</param>
/// <param name="Column">The column it checks, if one.</param>
public sealed record LineageAssertion(string Assertion, bool Success, string? Column);
