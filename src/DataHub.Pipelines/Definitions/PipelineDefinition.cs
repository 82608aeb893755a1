namespace DataHub.Pipelines.Definitions;

/// <summary>One ingestion pipeline, read from <c>pipelines/&lt;name&gt;.yaml</c>.</summary>
/// <param name="Name">Unique name (lower-case identifier).</param>
/// <param name="Description">What it brings in.</param>
/// <param name="Department">The providing department's code.</param>
/// <param name="Target">The catalog dataset (lake table) it fills.</param>
/// <param name="Key">The target table's key (sort order, and merge key), used when the pipeline creates the table.</param>
/// <param name="Schedule">A Quartz cron expression, or null for on-demand only.</param>
/// <param name="Source">Where the data comes from.</param>
/// <param name="SourceFile">The YAML file.</param>
/// <param name="QualityGate">When true, rows breaking a fail-severity quality rule of the target are quarantined at ingestion.</param>
public sealed record PipelineDefinition(
    string Name,
    string? Description,
    string Department,
    string Target,
    IReadOnlyList<string> Key,
    string? Schedule,
    FileSourceDefinition Source,
    string SourceFile,
    bool QualityGate = false);
