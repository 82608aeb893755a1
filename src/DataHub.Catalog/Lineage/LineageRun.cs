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
    IReadOnlyList<ColumnLineageEdge> Edges);
