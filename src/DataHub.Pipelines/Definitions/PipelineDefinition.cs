namespace DataHub.Pipelines.Definitions;

/// <summary>One ingestion pipeline, read from <c>pipelines/&lt;name&gt;.yaml</c> (see <c>docs/pipelines.md</c>).</summary>
public sealed record PipelineDefinition
{
    /// <summary>Unique id (lower-case identifier).</summary>
    public required string Name { get; init; }

    /// <summary>What it brings in.</summary>
    public string? Description { get; init; }

    /// <summary>The owner (providing) department's code.</summary>
    public required string Department { get; init; }

    /// <summary>The catalog dataset (an L4 entity's lake table) it fills.</summary>
    public required string Target { get; init; }

    /// <summary>A Quartz cron expression in <see cref="TimeZone"/>, or null for on-demand only.</summary>
    public string? Schedule { get; init; }

    /// <summary>The time zone of the schedule and SLA (IANA id), Asia/Shanghai by default.</summary>
    public string TimeZone { get; init; } = "Asia/Shanghai";

    /// <summary>Where the data comes from and how it is decoded.</summary>
    public required SourceDefinition Source { get; init; }

    /// <summary>Source field → catalog column; fields not listed map by the catalog columns' <c>source:</c> names.</summary>
    public IReadOnlyDictionary<string, string> Mapping { get; init; } = new Dictionary<string, string>();

    /// <summary>Optional DuckDB SELECT over the relation <c>source</c> (the typed rows) giving the rows to write.</summary>
    public string? Transform { get; init; }

    /// <summary>How rows are written to the target.</summary>
    public WriteDefinition Write { get; init; } = new();

    /// <summary>Which quality rules reject rows or fail the run.</summary>
    public QualityGateDefinition Gate { get; init; } = new();

    /// <summary>Retries of a failed run.</summary>
    public RetryDefinition Retries { get; init; } = new();

    /// <summary>The local time by which the data is expected each scheduled day, or null.</summary>
    public TimeOnly? Sla { get; init; }

    /// <summary>The YAML file (for messages).</summary>
    public string SourceFile { get; init; } = string.Empty;

    /// <summary>The target table's key (sort order, merge key).</summary>
    public IReadOnlyList<string> Key => Write.Key;

    /// <summary>The YAML line of each field read (paths such as <c>source.encoding</c>, <c>mapping.户号</c>).</summary>
    public IReadOnlyDictionary<string, long> FieldLines { get; init; } = new Dictionary<string, long>();

    /// <summary><c>file:line: field 'x': problem</c> for a problem found after loading (against the catalog, say).</summary>
    public string Problem(string field, string message)
    {
        ArgumentNullException.ThrowIfNull(field);
        var line = 1L;
        for (var f = field; f.Length > 0; f = f.Contains('.', StringComparison.Ordinal) ? f[..f.LastIndexOf('.')] : string.Empty)
        {
            if (FieldLines.TryGetValue(f, out line))
            {
                break;
            }

            line = 1;
        }

        return $"{SourceFile}:{line}: field '{field}': {message}";
    }
}

/// <summary>The kinds of source.</summary>
public enum SourceKind
{
    /// <summary>Files dropped in a folder (CSV, JSON, NDJSON).</summary>
    File,

    /// <summary>A departmental PostgreSQL database, read incrementally by a watermark column.</summary>
    Postgres,

    /// <summary>A paged HTTP JSON endpoint with a cursor.</summary>
    Http,
}

/// <summary>A pipeline's source. Which settings apply depends on <see cref="Kind"/>.</summary>
public sealed record SourceDefinition
{
    /// <summary>The kind of source.</summary>
    public SourceKind Kind { get; init; } = SourceKind.File;

    /// <summary>file: a folder relative to the repository root (samples, tests), or absolute.</summary>
    public string? Path { get; init; }

    /// <summary>file: a department folder under <c>$DATAHUB_HOME/inbox/</c>; ingested files move to <c>processed/</c>.</summary>
    public string? Inbox { get; init; }

    /// <summary>file: file name pattern.</summary>
    public string Pattern { get; init; } = "*.csv";

    /// <summary>file: csv, json or ndjson.</summary>
    public string Format { get; init; } = "csv";

    /// <summary>file: auto, utf-8, utf-8-bom, gbk or gb18030.</summary>
    public string Encoding { get; init; } = "auto";

    /// <summary>csv: the field separator.</summary>
    public char Delimiter { get; init; } = ',';

    /// <summary>csv: whether the first line holds the field names (it must, for mapping by name).</summary>
    public bool Header { get; init; } = true;

    /// <summary>csv: the quote character.</summary>
    public char Quote { get; init; } = '"';

    /// <summary>json / http: dot path of the records array in a document or page.</summary>
    public string? Records { get; init; }

    /// <summary>postgres: connection string, or <c>env:NAME</c> to read it from an environment variable.</summary>
    public string? Connection { get; init; }

    /// <summary>postgres: <c>schema.table</c> to read.</summary>
    public string? Table { get; init; }

    /// <summary>postgres: a SELECT to read instead of a table.</summary>
    public string? Query { get; init; }

    /// <summary>postgres: the column whose increasing values mark what was read.</summary>
    public string? Watermark { get; init; }

    /// <summary>http: the first page's URL.</summary>
    public string? Url { get; init; }

    /// <summary>http: dot path of the next cursor in a page.</summary>
    public string? Cursor { get; init; }

    /// <summary>http: the query parameter that sends the cursor back.</summary>
    public string CursorParam { get; init; } = "cursor";

    /// <summary>http: page size parameter name, or null.</summary>
    public string? PageSizeParam { get; init; }

    /// <summary>http: page size.</summary>
    public int PageSize { get; init; } = 1000;
}

/// <summary>How a run's rows are written.</summary>
public enum WriteMode
{
    /// <summary>Add the rows as a new snapshot.</summary>
    Append,

    /// <summary>Upsert by the key: rows whose key exists replace the old ones.</summary>
    Merge,

    /// <summary>Replace the rows of the partitions (values of the partition column) the run brings.</summary>
    OverwritePartition,
}

/// <summary>The write settings.</summary>
public sealed record WriteDefinition
{
    /// <summary>Append, merge or overwrite_partition.</summary>
    public WriteMode Mode { get; init; } = WriteMode.Append;

    /// <summary>The key columns (merge key, sort order).</summary>
    public IReadOnlyList<string> Key { get; init; } = [];

    /// <summary>overwrite_partition: the partition column.</summary>
    public string? Partition { get; init; }
}

/// <summary>The ingestion quality gate.</summary>
public sealed record QualityGateDefinition
{
    /// <summary>Whether rows are checked at all.</summary>
    public bool Enabled { get; init; }

    /// <summary>Rule ids that reject a row; null means every fail-severity row rule of the target.</summary>
    public IReadOnlyList<string>? Reject { get; init; }

    /// <summary>Rule ids of which a single breaking row fails the whole run.</summary>
    public IReadOnlyList<string> FailRun { get; init; } = [];

    /// <summary>The run fails (nothing committed) when more than this percentage of rows is rejected; null: no limit.</summary>
    public double? MaxRejectedPercent { get; init; }
}

/// <summary>Retries of a failed run: <see cref="Count"/> more attempts, waiting <see cref="Backoff"/>, doubled each time.</summary>
public sealed record RetryDefinition
{
    /// <summary>How many times a failed run is tried again.</summary>
    public int Count { get; init; }

    /// <summary>The wait before the first retry.</summary>
    public TimeSpan Backoff { get; init; } = TimeSpan.FromMinutes(1);
}
