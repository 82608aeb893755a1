using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using DataHub.Catalog;
using DataHub.Catalog.Lineage;
using DataHub.DuckDb;
using DataHub.Lake;
using DataHub.Lake.Tables;
using DataHub.Pipelines.Definitions;
using DataHub.Quality.Functions;
using DataHub.Quality.Rules;
using Microsoft.Extensions.Logging;

namespace DataHub.Pipelines.Ingest;

/// <summary>
/// Runs a file pipeline once: decode each file, let DuckDB parse it (structural errors are kept by
/// <c>store_rejects</c>), type every field against the catalog entry in one SQL pass, commit the good rows to
/// one Parquet file in the lake and quarantine the rest with file, line, field and reason. Every input row ends
/// in exactly one of the two, and the run's counts are checked before they are recorded.
/// </summary>
public sealed partial class CsvIngestor
{
    private readonly CatalogStore _catalog;
    private readonly LakeTables _tables;
    private readonly string _home;
    private readonly ILogger _logger;
    private readonly LineageEmitter? _lineage;

    /// <summary>Creates an ingestor writing to a lake and recording in a catalog.</summary>
    /// <param name="catalog">The catalog store.</param>
    /// <param name="tables">The lake's tables; the target table is created from the catalog entry on first use.</param>
    /// <param name="home">The DataHub home (for <c>tmp/</c> and <c>quarantine/</c>).</param>
    /// <param name="logger">Progress and rejections are logged here.</param>
    /// <param name="lineage">Emits the runs' OpenLineage events and records their column lineage; null for none.</param>
    public CsvIngestor(CatalogStore catalog, LakeTables tables, string home, ILogger logger, LineageEmitter? lineage = null)
    {
        _catalog = catalog;
        _tables = tables;
        _home = Path.GetFullPath(home);
        _logger = logger;
        _lineage = lineage;
    }

    /// <summary>Ingests every file the pipeline's source holds.</summary>
    /// <param name="pipeline">The pipeline.</param>
    /// <param name="dataset">The catalog entry of its target.</param>
    /// <param name="baseDirectory">The folder relative source paths start from (the repository root).</param>
    /// <param name="ct">Stops between files.</param>
    public Task<IngestReport> RunAsync(PipelineDefinition pipeline, DatasetDefinition dataset, string baseDirectory, CancellationToken ct = default) =>
        RunAsync(pipeline, dataset, baseDirectory, [], ct);

    /// <summary>Ingests every file the pipeline's source holds, quarantining the rows that break a fail-severity gate rule.</summary>
    /// <param name="pipeline">The pipeline.</param>
    /// <param name="dataset">The catalog entry of its target.</param>
    /// <param name="baseDirectory">The folder relative source paths start from (the repository root).</param>
    /// <param name="gate">Quality rules bound to the dataset; its row rules of severity fail decide each row (the others are ignored here).</param>
    /// <param name="ct">Stops between files.</param>
    public async Task<IngestReport> RunAsync(PipelineDefinition pipeline, DatasetDefinition dataset, string baseDirectory, IReadOnlyList<QualityRule> gate, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(gate);
        ArgumentNullException.ThrowIfNull(pipeline);
        ArgumentNullException.ThrowIfNull(dataset);
        if (pipeline.Source.Format != "csv")
        {
            throw new IngestException($"{pipeline.SourceFile}: source.format '{pipeline.Source.Format}' is not ingested yet; this ingestor reads CSV.");
        }

        var folder = Path.GetFullPath(Path.Combine(baseDirectory, pipeline.Source.Path));
        if (!Directory.Exists(folder))
        {
            throw new IngestException($"{pipeline.SourceFile}: source.path '{pipeline.Source.Path}' resolves to '{folder}', which does not exist.");
        }

        var files = Directory.EnumerateFiles(folder, pipeline.Source.Pattern).Order(StringComparer.Ordinal).ToList();
        var runId = await _catalog.RegisterIngestRunAsync(dataset.Name, ct);
        var work = Path.Combine(_home, "tmp", $"run-{runId}");
        Directory.CreateDirectory(work);
        var tmp = Path.Combine(_home, "tmp");
        using var duck = new DuckDbConnection($"Data Source=:memory:;Threads=2;Memory Limit=1GB;Temp Directory={tmp}");
        duck.Open();
        var lineageRun = IngestLineage.Started(Guid.CreateVersion7(), pipeline, dataset, files.Select(f => Display(baseDirectory, f)));
        try
        {
            await EmitAsync(lineageRun, LineageEventType.Start, null, ct);
            await EnsureTableAsync(pipeline, dataset, ct);
            var report = await Task.Run(() => Ingest(duck, runId, pipeline, dataset, baseDirectory, files, work, gate, ct), ct);
            if (report.RowsCommitted > 0)
            {
                // One lake commit per run: readers see all of this run's rows or none of them.
                var commit = await _tables.AppendAsync(duck, dataset.Name,
                    $"SELECT {string.Join(", ", dataset.Columns.Select(c => c.Name))} FROM staged WHERE reason IS NULL",
                    new LakeCommit($"pipeline:{pipeline.Name}", $"ingest run {runId}"), ct);
                var file = commit.FilesAdded[0];
                await _catalog.AddDataFileAsync(dataset.Name, runId, file.Path, file.RowCount, file.SizeBytes, ct);
                report = report with { DataFile = file.Path, SnapshotId = commit.Snapshot.Id };
            }

            if (report.Rejections.Count > 0)
            {
                await _catalog.AddRejectionsAsync(runId, report.Rejections, ct);
            }

            await EmitAsync(IngestLineage.Completed(lineageRun, dataset, report.Files.Select(f => (Display(baseDirectory, f.SourcePath), f))),
                LineageEventType.Complete, null, ct);

            var message = string.Create(CultureInfo.InvariantCulture,
                $"{report.Files.Count} file(s): {string.Join(", ", report.Files.Select(f => $"{Path.GetFileName(f.SourcePath)} ({f.Encoding}, {f.Records} rows)"))}");
            await _catalog.CompleteIngestRunAsync(runId, new IngestRunCompletion(
                IngestRunStatus.Succeeded, report.RowsRead, report.RowsCommitted, report.RowsQuarantined, message), ct);
            LogCompleted(_logger, pipeline.Name, runId, report.RowsRead, report.RowsCommitted, report.RowsQuarantined);
            return _lineage is null ? report : report with { LineageRunId = lineageRun.RunId };
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogFailed(_logger, e, pipeline.Name, runId);
            await _catalog.CompleteIngestRunAsync(runId, new IngestRunCompletion(IngestRunStatus.Failed, 0, 0, 0, e.Message), CancellationToken.None);
            try
            {
                await EmitAsync(lineageRun, LineageEventType.Fail, e.Message, CancellationToken.None);
            }
            catch (Exception lineageError) when (lineageError is not OperationCanceledException)
            {
                // The ingest's own failure is what the caller must see; this one is logged beside it.
                LogLineageFailed(_logger, lineageError, pipeline.Name, runId);
            }

            throw;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>Creates the lake table from the catalog entry, or adds the columns the catalog has gained since.</summary>
    private async Task EnsureTableAsync(PipelineDefinition pipeline, DatasetDefinition dataset, CancellationToken ct)
    {
        var author = new LakeCommit($"pipeline:{pipeline.Name}", "from catalog/datasets");
        if (!await _tables.ExistsAsync(dataset.Name, ct))
        {
            try
            {
                await _tables.CreateTableAsync(dataset.Name, dataset.Columns.Select(c => new LakeColumnDefinition(c.Name, c.DataType)).ToList(), pipeline.Key, author, ct);
                return;
            }
            catch (LakeSchemaException)
            {
                // Created concurrently by another run (then compare below); anything else is rethrown.
                if (!await _tables.ExistsAsync(dataset.Name, ct))
                {
                    throw;
                }
            }
        }

        var table = await _tables.GetTableAsync(dataset.Name, LakeVersion.Current, ct);
        foreach (var column in dataset.Columns.Where(c => table.Columns.All(t => t.Name != c.Name)))
        {
            await _tables.AddColumnAsync(dataset.Name, column.Name, column.DataType, author with { Message = $"catalog added column {column.Name}" }, ct);
        }
    }

    private IngestReport Ingest(DuckDbConnection duck, long runId, PipelineDefinition pipeline, DatasetDefinition dataset, string baseDirectory, List<string> files, string work, IReadOnlyList<QualityRule> gate, CancellationToken ct)
    {
        var columns = dataset.Columns.Select(c => new TypedColumn(c)).ToList();
        var delimiter = pipeline.Source.Delimiter;
        duck.Execute($"""
            CREATE TEMP TABLE staged (source_file VARCHAR, line BIGINT, {string.Join(", ", columns.Select(c => $"{c.Name} {c.Type}"))},
                                      field VARCHAR, reason VARCHAR, raw_record VARCHAR);
            CREATE TEMP TABLE broken (source_file VARCHAR, line BIGINT, field VARCHAR, reason VARCHAR, raw_record VARCHAR);
            """);

        var decoded = new List<DecodedFile>();
        long rowsRead = 0;
        for (var i = 0; i < files.Count; i++)
        {
            ct.ThrowIfCancellationRequested();
            var display = Display(baseDirectory, files[i]);
            var file = SourceDecoder.Normalize(files[i], Path.Combine(work, $"{i}.csv"), pipeline.Source.Encoding, delimiter, header =>
                (dataset.ColumnForSource(header) ?? dataset.Columns.FirstOrDefault(c => c.Name == header))?.Name);
            var missing = dataset.Columns.Where(c => c.Source is not null && !file.Columns.Contains(c.Name)).ToList();
            if (missing.Count > 0)
            {
                throw new IngestException($"{display}:1: the header lacks {string.Join(", ", missing.Select(m => $"'{m.Source}' ({m.Name})"))}; found: {string.Join(", ", file.Headers)}.");
            }

            decoded.Add(file);
            rowsRead += file.Records;
            LogFile(_logger, display, file.Encoding, file.Records);
            var unmapped = file.Headers.Where((_, c) => file.Columns[c].StartsWith("__extra_", StringComparison.Ordinal)).ToList();
            if (unmapped.Count > 0)
            {
                // Kept in the quarantine's raw records only when a row is rejected; say so rather than drop them quietly.
                LogUnmapped(_logger, display, string.Join(", ", unmapped), dataset.Name);
            }

            StageFile(duck, file, display, i, columns, delimiter);
        }

        ApplyGate(duck, dataset, gate);
        long Scalar(string sql) => Convert.ToInt64(new DuckDbCommand(sql, duck).ExecuteScalar(), CultureInfo.InvariantCulture);
        var staged = Scalar("SELECT count(*) FROM staged");
        var brokenLines = Scalar("SELECT count(*) FROM broken");
        var committed = Scalar("SELECT count(*) FROM staged WHERE reason IS NULL");
        var quarantined = (staged - committed) + brokenLines;
        if (staged + brokenLines != rowsRead)
        {
            throw new IngestException(string.Create(CultureInfo.InvariantCulture,
                $"Run {runId}: the files hold {rowsRead} records but DuckDB read {staged} and rejected {brokenLines}; refusing to commit a run whose counts do not add up."));
        }

        var rejections = new List<IngestRejection>();
        string? quarantineFile = null;
        if (quarantined > 0)
        {
            const string rejected = """
                SELECT source_file, line, field, reason, raw_record FROM staged WHERE reason IS NOT NULL
                UNION ALL SELECT source_file, line, field, reason, raw_record FROM broken
                ORDER BY source_file, line
                """;
            var directory = Path.Combine(_home, "quarantine", $"run-{runId:D6}");
            Directory.CreateDirectory(directory);
            quarantineFile = Path.Combine(directory, "rejected.parquet");
            duck.Execute($"COPY ({rejected}) TO {LakeStorage.SqlLiteral(quarantineFile)} (FORMAT parquet, COMPRESSION zstd)");
            using var reader = new DuckDbCommand(rejected, duck).ExecuteReader();
            while (reader.Read())
            {
                var rejection = new IngestRejection(reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetInt64(1),
                    reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetString(3));
                rejections.Add(rejection);
                LogRejected(_logger, rejection.SourceFile, rejection.Line ?? 0, rejection.Reason);
            }
        }

        return new IngestReport(runId, dataset.Name, decoded, rowsRead, committed, quarantined, null, null, quarantineFile, rejections);
    }

    private static void StageFile(DuckDbConnection duck, DecodedFile file, string display, int index, List<TypedColumn> columns, char delimiter)
    {
        var delim = LakeStorage.SqlLiteral(delimiter.ToString());
        using (var read = new DuckDbCommand(
            $"""
            CREATE OR REPLACE TEMP TABLE raw AS
            SELECT * FROM read_csv($path, header = true, all_varchar = true, delim = {delim}, quote = '"', escape = '"',
                                   store_rejects = true, rejects_table = 'rejects_{index}', rejects_scan = 'scans_{index}')
            """, duck))
        {
            read.Parameters.Add("path", file.DecodedPath);
            read.ExecuteNonQuery();
        }

        var present = columns.Where(c => file.Columns.Contains(c.Name)).ToList();
        var typed = columns.Select(c => present.Contains(c) ? c.TypedExpression : $"CAST(NULL AS {c.Type})");
        var field = $"nullif(concat_ws(', ', {string.Join(", ", present.Select(c => $"CASE WHEN {c.BadExpression} THEN '{c.Name}' END").DefaultIfEmpty("NULL"))}), '')";
        var reason = $"nullif(concat_ws('; ', {string.Join(", ", present.Select(c => $"CASE WHEN {c.BadExpression} THEN {c.ReasonExpression} END").DefaultIfEmpty("NULL"))}), '')";
        var rawRecord = $"concat_ws({delim}, {string.Join(", ", file.Columns.Select(Quote))})";
        using (var insert = new DuckDbCommand(
            $"INSERT INTO staged SELECT $source, TRY_CAST({SourceDecoder.LineColumn} AS BIGINT), {string.Join(", ", typed)}, {field}, {reason}, {rawRecord} FROM raw", duck))
        {
            insert.Parameters.Add("source", display);
            insert.ExecuteNonQuery();
        }

        // Structural errors (too many or too few fields, bad quoting): DuckDB keeps the raw line; its first field is
        // the source line number the decoder put there.
        using var broken = new DuckDbCommand(
            $"""
            INSERT INTO broken
            SELECT $source, source_line, any_value(column_name),
                   string_agg(CASE error_type WHEN 'TOO MANY COLUMNS' THEN 'too many fields' WHEN 'MISSING COLUMNS' THEN 'too few fields'
                                  ELSE lower(error_type) || ': ' || error_message END || ' (the header has {file.Columns.Count} fields)', '; '),
                   any_value(substr(csv_line, strpos(csv_line, {delim}) + 1))
            FROM (SELECT *, TRY_CAST(split_part(csv_line, {delim}, 1) AS BIGINT) AS source_line FROM rejects_{index})
            GROUP BY source_line
            """, duck);
        broken.Parameters.Add("source", display);
        broken.ExecuteNonQuery();
    }

    private Task EmitAsync(LineageRun run, LineageEventType eventType, string? error, CancellationToken ct) =>
        _lineage is null ? Task.CompletedTask : _lineage.EmitAsync(run, eventType, error, ct);

    /// <summary>A source file's path as reported: relative to the base directory, with '/'.</summary>
    private static string Display(string baseDirectory, string path) => Path.GetRelativePath(baseDirectory, path).Replace('\\', '/');

    /// <summary>
    /// The quality gate: the same compiled conditions as a quality run, evaluated per row on the typed rows; rows that
    /// break a fail-severity row rule are quarantined with the rules' ids as the reason.
    /// </summary>
    private static void ApplyGate(DuckDbConnection duck, DatasetDefinition dataset, IReadOnlyList<QualityRule> gate)
    {
        var rowRules = gate.Where(r => r.Severity == RuleSeverity.Fail && r.Kind is not (RuleKind.Unique or RuleKind.ForeignKey)).ToList();
        if (rowRules.Count == 0)
        {
            return;
        }

        QualityFunctions.Register(duck);
        var compiled = RuleCompiler.Compile(rowRules, dataset.Columns.ToDictionary(c => c.Name, c => c.DataType, StringComparer.Ordinal));
        duck.Execute($"""
            CREATE OR REPLACE TEMP TABLE gated AS
            SELECT source_file, line, __violations FROM ({compiled.ViolationsSql("SELECT * FROM staged WHERE reason IS NULL")}) WHERE len(__violations) > 0;
            UPDATE staged SET field = 'quality', reason = 'breaks quality rule(s) ' || array_to_string(g.__violations, ', ')
            FROM gated g WHERE staged.source_file = g.source_file AND staged.line = g.line AND staged.reason IS NULL;
            DROP TABLE gated;
            """);
    }

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    [GeneratedRegex(@"^(VARCHAR|BOOLEAN|TINYINT|SMALLINT|INTEGER|BIGINT|DOUBLE|FLOAT|DATE|TIMESTAMP|TIMESTAMPTZ|TIME|UUID|DECIMAL\(\d{1,2},\d{1,2}\))$")]
    private static partial Regex SupportedType();

    [LoggerMessage(Level = LogLevel.Information, Message = "Reading {File} ({Encoding}, {Records} records)")]
    private static partial void LogFile(ILogger logger, string file, string encoding, long records);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{File}: header(s) {Headers} are not columns of {Dataset} in the catalog; their values are not committed")]
    private static partial void LogUnmapped(ILogger logger, string file, string headers, string dataset);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Quarantined {File}:{Line}: {Reason}")]
    private static partial void LogRejected(ILogger logger, string file, long line, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Pipeline {Pipeline} run {RunId}: read {Read}, committed {Committed}, quarantined {Quarantined}")]
    private static partial void LogCompleted(ILogger logger, string pipeline, long runId, long read, long committed, long quarantined);

    [LoggerMessage(Level = LogLevel.Error, Message = "Pipeline {Pipeline} run {RunId}: the FAIL lineage event could not be recorded")]
    private static partial void LogLineageFailed(ILogger logger, Exception exception, string pipeline, long runId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Pipeline {Pipeline} run {RunId} failed")]
    private static partial void LogFailed(ILogger logger, Exception exception, string pipeline, long runId);

    /// <summary>A catalog column with the SQL that types and checks it. Names and types come from the catalog, validated here.</summary>
    private sealed class TypedColumn
    {
        public TypedColumn(DatasetColumnDefinition column)
        {
            if (!LakeStorage.IsIdentifier(column.Name))
            {
                throw new IngestException($"{column.Name}: catalog column names must be lower-case identifiers.");
            }

            Type = column.DataType.Replace(" ", string.Empty, StringComparison.Ordinal).ToUpperInvariant();
            if (!SupportedType().IsMatch(Type))
            {
                throw new IngestException($"Catalog column {column.Name} has type {column.DataType}, which file ingestion does not type yet.");
            }

            Name = column.Name;
            var raw = $"nullif(trim({Quote(Name)}), '')";
            TypedExpression = Type == "DATE"
                ? $"coalesce(TRY_CAST({raw} AS DATE), CAST(try_strptime({raw}, '%Y/%m/%d') AS DATE), CAST(try_strptime({raw}, '%Y%m%d') AS DATE))"
                : Type == "VARCHAR" ? raw : $"TRY_CAST({raw} AS {Type})";
            BadExpression = Type == "VARCHAR" ? "false" : $"({raw} IS NOT NULL AND {TypedExpression} IS NULL)";
            var label = column.Source is null ? Name : $"{Name} ({column.Source})";
            ReasonExpression = $"'{label.Replace("'", "''", StringComparison.Ordinal)}: ''' || {raw} || ''' is not a valid {Type}'";
        }

        public string Name { get; }

        public string Type { get; }

        public string TypedExpression { get; }

        public string BadExpression { get; }

        public string ReasonExpression { get; }
    }
}
