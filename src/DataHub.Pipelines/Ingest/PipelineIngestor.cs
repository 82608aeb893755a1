using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using DataHub.Catalog;
using DataHub.Catalog.Lineage;
using DataHub.DuckDb;
using DataHub.Lake;
using DataHub.Lake.Tables;
using DataHub.Pipelines.Definitions;
using DataHub.Pipelines.Sources;
using DataHub.Quality.Functions;
using DataHub.Quality.Rules;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace DataHub.Pipelines.Ingest;

/// <summary>
/// Runs a pipeline once: take the pipeline's lock, find the inputs not ingested yet (files by content hash), decode
/// each to UTF-8 CSV, let DuckDB parse it (structural errors are kept by <c>store_rejects</c>), type every field
/// against the catalog entry in one SQL pass, apply the quality gate and the transformation, and commit the good rows
/// (append, merge or partition overwrite), the quarantined rows (lake table <c>quarantine.rejected_rows</c>) and the
/// run's bookkeeping (counts, input hashes, rejections) in ONE catalog transaction. A process killed at any moment
/// leaves either all of a run or none of it; the next run then ingests the same inputs exactly once.
/// </summary>
public sealed partial class PipelineIngestor
{
    /// <summary>How many rejections of a run the catalog keeps (all of them are in <see cref="QuarantineTable"/>).</summary>
    public const int MaxCatalogRejections = 1000;

    /// <summary>The lake table holding every pipeline's quarantined rows.</summary>
    public const string QuarantineTable = "quarantine.rejected_rows";

    private static readonly IReadOnlyList<LakeColumnDefinition> QuarantineColumns =
    [
        new("quarantine_id", "VARCHAR"), new("run_id", "BIGINT"), new("pipeline", "VARCHAR"), new("dataset", "VARCHAR"),
        new("source_file", "VARCHAR"), new("line", "BIGINT"), new("field", "VARCHAR"), new("reason", "VARCHAR"),
        new("rules", "VARCHAR"), new("original", "VARCHAR"), new("quarantined_at", "TIMESTAMP"),
    ];

    /// <summary>One client for the HTTP sources of every run (connection pooling); each request has its own timeout.</summary>
    private static readonly HttpClient Http = new() { Timeout = Timeout.InfiniteTimeSpan };

    private readonly CatalogStore _catalog;
    private readonly NpgsqlDataSource _dataSource;
    private readonly LakeTables _tables;
    private readonly string _home;
    private readonly ILogger _logger;
    private readonly LineageEmitter? _lineage;

    /// <summary>Creates an ingestor writing to a lake and recording in a catalog.</summary>
    /// <param name="catalog">The catalog store.</param>
    /// <param name="dataSource">The catalog database (run bookkeeping, locks).</param>
    /// <param name="tables">The lake's tables; the target table is created from the catalog entry on first use.</param>
    /// <param name="home">The DataHub home (for <c>tmp/</c>, <c>inbox/</c> and <c>processed/</c>).</param>
    /// <param name="logger">Progress and rejections are logged here.</param>
    /// <param name="lineage">Emits the runs' OpenLineage events and records their column lineage; null for none.</param>
    public PipelineIngestor(CatalogStore catalog, NpgsqlDataSource dataSource, LakeTables tables, string home, ILogger logger, LineageEmitter? lineage = null)
    {
        _catalog = catalog;
        _dataSource = dataSource;
        _tables = tables;
        _home = Path.GetFullPath(home);
        _logger = logger;
        _lineage = lineage;
    }

    /// <summary>Ingests what the pipeline's source holds that was not ingested yet.</summary>
    /// <param name="pipeline">The pipeline.</param>
    /// <param name="dataset">The catalog entry of its target.</param>
    /// <param name="baseDirectory">The folder relative source paths start from (the repository root).</param>
    /// <param name="ct">Stops between steps; nothing is committed then.</param>
    public Task<IngestReport> RunAsync(PipelineDefinition pipeline, DatasetDefinition dataset, string baseDirectory, CancellationToken ct = default) =>
        RunAsync(pipeline, dataset, baseDirectory, new IngestOptions(), ct);

    /// <summary>Ingests what the pipeline's source holds that was not ingested yet.</summary>
    /// <param name="pipeline">The pipeline.</param>
    /// <param name="dataset">The catalog entry of its target.</param>
    /// <param name="baseDirectory">The folder relative source paths start from (the repository root).</param>
    /// <param name="options">Gate rules, trigger, progress, resubmission.</param>
    /// <param name="ct">Stops between steps; nothing is committed then.</param>
    public async Task<IngestReport> RunAsync(PipelineDefinition pipeline, DatasetDefinition dataset, string baseDirectory, IngestOptions options, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(options);

        // One run of a pipeline at a time, across processes: a session lock that dies with its connection.
        await using var lockConnection = await _dataSource.OpenConnectionAsync(ct);
        await using (var take = new NpgsqlCommand("SELECT pg_try_advisory_lock(hashtextextended(@key, 0))", lockConnection))
        {
            take.Parameters.AddWithValue("key", "datahub.pipeline:" + pipeline.Name);
            if (!(bool)(await take.ExecuteScalarAsync(ct))!)
            {
                throw new PipelineBusyException($"Pipeline {pipeline.Name} is already running (another process or scheduler holds its lock); not started twice.");
            }
        }

        try
        {
            return await RunLockedAsync(pipeline, dataset, baseDirectory, options, ct);
        }
        finally
        {
            // The lock connection goes back to the pool, so the session lock must be let go explicitly.
            await using var release = new NpgsqlCommand("SELECT pg_advisory_unlock(hashtextextended(@key, 0))", lockConnection);
            release.Parameters.AddWithValue("key", "datahub.pipeline:" + pipeline.Name);
            await release.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    private async Task<IngestReport> RunLockedAsync(PipelineDefinition pipeline, DatasetDefinition dataset, string baseDirectory, IngestOptions options, CancellationToken ct)
    {
        await AbandonStaleRunsAsync(pipeline.Name, ct);
        var runId = await RegisterRunAsync(pipeline, dataset, options, ct);
        var listing = System.Diagnostics.Stopwatch.GetTimestamp();
        var inputs = ListInputs(pipeline, baseDirectory, options);
        var work = IngestScratch.Create(_home, runId, pipeline.Source.Kind == SourceKind.File ? inputs.Sum(i => i.Bytes) : 0,
            Environment.GetEnvironmentVariable(IngestScratch.Variable));
        var tmp = Path.Combine(_home, "tmp");
        Directory.CreateDirectory(tmp);
        using var duck = new DuckDbConnection($"Data Source=:memory:;Threads={Math.Max(1, Environment.ProcessorCount)};Temp Directory={tmp}"); // DuckDB's default memory limit (80% of RAM), spilling beyond
        duck.Open();
        var lineageRun = IngestLineage.Started(Guid.CreateVersion7(), pipeline, dataset, inputs.Select(f => f.Display));
        try
        {
            await EmitAsync(lineageRun, LineageEventType.Start, null, ct);
            await EnsureTableAsync(pipeline, dataset, ct);
            await EnsureQuarantineTableAsync(ct);
            var fresh = pipeline.Source.Kind == SourceKind.File
                ? await NewInputsAsync(pipeline.Name, inputs, ct)
                : [await FetchAsync(pipeline, dataset, work, ct)];
            var phases = new Dictionary<string, double>(StringComparer.Ordinal) { ["find inputs"] = System.Diagnostics.Stopwatch.GetElapsedTime(listing).TotalSeconds };
            // Appends of CSV files without a transformation go through the streaming pass (no staged table).
            var target = options.Streaming && pipeline.Write.Mode == WriteMode.Append && pipeline.Transform is null
                         && pipeline.Source.Format == "csv" && fresh.All(f => f.Decoded is null)
                ? await _tables.GetTableAsync(dataset.Name, LakeVersion.Current, ct)
                : null;
            var (report, prepared) = await Task.Run(() => Ingest(duck, runId, pipeline, dataset, fresh, work, options, phases, target, ct), ct);
            var committing = System.Diagnostics.Stopwatch.GetTimestamp();
            try
            {
                // The hashes computed beside the decoding (NewInputsAsync), needed for the commit's record of the inputs.
                foreach (var input in fresh)
                {
                    await input.FinishHashingAsync();
                }

                phases["hash (beside decoding)"] = System.Diagnostics.Stopwatch.GetElapsedTime(committing).TotalSeconds;
                committing = System.Diagnostics.Stopwatch.GetTimestamp();
                report = await CommitAsync(duck, runId, pipeline, dataset, fresh, report, options, prepared, ct);
            }
            catch when (prepared is not null)
            {
                _tables.DiscardPrepared(prepared);
                throw;
            }

            phases["write and commit"] = System.Diagnostics.Stopwatch.GetElapsedTime(committing).TotalSeconds;
            report = report with { Phases = phases, HashedBesideDecoding = fresh.Count(f => f.HashDeferred) };
            foreach (var input in fresh.Concat(inputs.Where(i => i.AlreadyIngested)))
            {
                MoveToProcessed(pipeline, runId, input);
            }

            var completed = IngestLineage.Completed(lineageRun, dataset, report.Files.Select((f, i) => (fresh[i].Display, f))) with
            {
                Quality = new LineageQuality(
                    report.Files.Select((f, i) => (LineageDatasetName.ForFile(fresh[i].Display), f.Records + (f.Rejected?.Count ?? 0)))
                        .GroupBy(x => x.Item1).ToDictionary(g => g.Key, g => g.Sum(x => x.Item2), StringComparer.Ordinal),
                    report.RowsWritten, 0,
                    report.Checks.Select(c => new LineageAssertion(c.Rule, c.Failed == 0, c.Column)).ToList()),
            };
            await EmitAsync(completed,
                LineageEventType.Complete, null, ct);
            LogCompleted(_logger, pipeline.Name, runId, report.RowsRead, report.RowsCommitted, report.RowsQuarantined);
            return _lineage is null ? report : report with { LineageRunId = lineageRun.RunId };
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogFailed(_logger, e, pipeline.Name, runId);
            await FailRunAsync(runId, e.Message);
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
        catch (OperationCanceledException)
        {
            await FailRunAsync(runId, "cancelled");
            throw;
        }
        finally
        {
            foreach (var input in inputs)
            {
                await input.SettleAsync();
            }

            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>Runs of this pipeline still marked running belong to a process that died: we hold the pipeline's lock.</summary>
    private async Task AbandonStaleRunsAsync(string pipeline, CancellationToken ct)
    {
        // One statement: this pipeline's dead runs marked abandoned, and every run still running (whose scratch stays).
        await using var command = _dataSource.CreateCommand(
            """
            WITH abandoned AS (
                UPDATE datahub.ingest_run SET status = 'abandoned', finished_at = now(),
                       message = 'the process running it stopped before it finished; nothing of it was committed'
                WHERE pipeline = @pipeline AND status = 'running'
                RETURNING id)
            SELECT id, true FROM abandoned
            UNION ALL
            SELECT id, false FROM datahub.ingest_run WHERE status = 'running' AND id NOT IN (SELECT id FROM abandoned)
            """);
        command.Parameters.AddWithValue("pipeline", pipeline);
        var abandoned = new List<long>();
        var running = new HashSet<long>();
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                (reader.GetBoolean(1) ? (ICollection<long>)abandoned : running).Add(reader.GetInt64(0));
            }
        }

        if (abandoned.Count > 0)
        {
            LogAbandoned(_logger, pipeline, abandoned.Count);
            foreach (var run in abandoned)
            {
                // Its scratch, on disk and in memory.
                IngestScratch.RemoveAbandoned(_home, run);
            }
        }

        // And in-memory scratch no later run of its own pipeline will remove (other pipelines' dead runs, gone homes).
        IngestScratch.SweepOrphans(_home, running);
    }

    private async Task<long> RegisterRunAsync(PipelineDefinition pipeline, DatasetDefinition dataset, IngestOptions options, CancellationToken ct)
    {
        await using var command = _dataSource.CreateCommand(
            """
            INSERT INTO datahub.ingest_run (dataset_id, status, pipeline, trigger, attempt, host)
            SELECT id, 'running', @pipeline, @trigger, @attempt, @host FROM datahub.dataset WHERE name = @dataset
            RETURNING id
            """);
        command.Parameters.AddWithValue("pipeline", pipeline.Name);
        command.Parameters.AddWithValue("trigger", options.Trigger);
        command.Parameters.AddWithValue("attempt", options.Attempt);
        command.Parameters.AddWithValue("host", $"{Environment.MachineName}:{Environment.ProcessId}");
        command.Parameters.AddWithValue("dataset", dataset.Name);
        return await command.ExecuteScalarAsync(ct) is long id
            ? id
            : throw new IngestException($"{pipeline.SourceFile}: target '{dataset.Name}' is not in the catalog database; load the catalog first.");
    }

    private async Task FailRunAsync(long runId, string error)
    {
        await using var command = _dataSource.CreateCommand(
            "UPDATE datahub.ingest_run SET status = 'failed', finished_at = now(), message = @message WHERE id = @id AND status = 'running'");
        command.Parameters.AddWithValue("id", runId);
        command.Parameters.AddWithValue("message", error.Length > 4000 ? error[..4000] : error);
        await command.ExecuteNonQueryAsync(CancellationToken.None);
    }

    /// <summary>The source's inputs: for files, every file matching the pattern (hashed later, by <see cref="NewInputsAsync"/>; re-submitted files now).</summary>
    private List<SourceInput> ListInputs(PipelineDefinition pipeline, string baseDirectory, IngestOptions options)
    {
        if (options.Files is { } given)
        {
            return given.Select(f => SourceInput.ForFile(f, "resubmitted/" + Path.GetFileName(f), fromInbox: false)).ToList();
        }

        if (pipeline.Source.Kind != SourceKind.File)
        {
            return []; // fetched once the run holds its lock (FetchAsync)
        }

        string folder;
        if (pipeline.Source.Inbox is { } inbox)
        {
            folder = Path.Combine(_home, "inbox", inbox);
            Directory.CreateDirectory(folder);
        }
        else
        {
            folder = Path.GetFullPath(Path.Combine(baseDirectory, pipeline.Source.Path!));
            if (!Directory.Exists(folder))
            {
                throw new IngestException($"{pipeline.SourceFile}: source.path '{pipeline.Source.Path}' resolves to '{folder}', which does not exist.");
            }
        }

        // Inbox files are named relative to the home (inbox/water/x.csv), repository folders relative to the root.
        var relativeTo = pipeline.Source.Inbox is null ? baseDirectory : _home;
        return Directory.EnumerateFiles(folder, pipeline.Source.Pattern).Order(StringComparer.Ordinal)
            .Select(f => SourceInput.Listed(f, Display(relativeTo, f), pipeline.Source.Inbox is not null))
            .ToList();
    }

    /// <summary>
    /// Reads a database table/query past the stored watermark, or an HTTP endpoint from the stored cursor, into one
    /// decoded input; the new watermark or cursor is stored with the run's commit.
    /// </summary>
    private async Task<SourceInput> FetchAsync(PipelineDefinition pipeline, DatasetDefinition dataset, string work, CancellationToken ct)
    {
        string? position;
        await using (var state = _dataSource.CreateCommand("SELECT watermark FROM datahub.pipeline_state WHERE pipeline = @pipeline"))
        {
            state.Parameters.AddWithValue("pipeline", pipeline.Name);
            position = await state.ExecuteScalarAsync(ct) as string;
        }

        var fields = FieldMap(pipeline, dataset);
        var output = Path.Combine(work, "fetched.csv");
        var source = pipeline.Source;
        if (source.Kind == SourceKind.Postgres)
        {
            var fetched = await new PostgresSource(new PostgresSourceOptions(source.Connection!, source.Table, source.Query, source.Watermark))
                .FetchAsync(output, fields, position, ct);
            return SourceInput.Fetched(fetched.File, $"postgres/{pipeline.Name}/{source.Table ?? "query"}", fetched.Watermark);
        }

        var page = await new HttpJsonSource(Http, new HttpSourceOptions(source.Url!, source.Records, source.Cursor, source.CursorParam, source.PageSizeParam, source.PageSizeParam is null ? null : source.PageSize))
            .FetchAsync(output, fields, position, ct);
        return SourceInput.Fetched(page.File, $"http/{pipeline.Name}/{new Uri(source.Url!).Host}", page.LastCursor);
    }

    /// <summary>Source field → catalog column for sources that name fields (JSON, databases, HTTP).</summary>
    private static Dictionary<string, string> FieldMap(PipelineDefinition pipeline, DatasetDefinition dataset)
    {
        // One field per column: the pipeline's mapping first, then the catalog's source name, else the column's own name.
        var map = new Dictionary<string, string>(pipeline.Mapping, StringComparer.Ordinal);
        foreach (var column in dataset.Columns.Where(c => !map.ContainsValue(c.Name)))
        {
            map.TryAdd(column.Source ?? column.Name, column.Name);
        }

        return map;
    }

    /// <summary>The inputs whose content was not ingested by this pipeline before (the others are marked), each content once.</summary>
    private async Task<List<SourceInput>> NewInputsAsync(string pipeline, List<SourceInput> inputs, CancellationToken ct)
    {
        // The same content has the same size: a file of a size that no earlier input of this pipeline had, and no other
        // input of this run has, is new whatever its hash, which is then computed beside its decoding (it is needed
        // only for the commit). The others are hashed now and looked up by hash.
        var sizes = new HashSet<long>();
        await using (var known = _dataSource.CreateCommand("SELECT DISTINCT bytes FROM datahub.pipeline_input WHERE pipeline = @pipeline AND bytes = ANY(@sizes)"))
        {
            known.Parameters.AddWithValue("pipeline", pipeline);
            known.Parameters.AddWithValue("sizes", inputs.Select(i => i.Bytes).Distinct().ToArray());
            await using var sizeReader = await known.ExecuteReaderAsync(ct);
            while (await sizeReader.ReadAsync(ct))
            {
                sizes.Add(sizeReader.GetInt64(0));
            }
        }

        var runSizes = inputs.CountBy(i => i.Bytes).ToDictionary(c => c.Key, c => c.Value);
        foreach (var input in inputs)
        {
            if (input.ContentHash is null && !sizes.Contains(input.Bytes) && runSizes[input.Bytes] == 1)
            {
                input.DeferHashing();
            }
            else
            {
                input.HashNow();
            }
        }

        var hashed = inputs.Where(i => i.ContentHash is not null).ToList();
        await using var command = _dataSource.CreateCommand("SELECT content_hash FROM datahub.pipeline_input WHERE pipeline = @pipeline AND content_hash = ANY(@hashes)");
        command.Parameters.AddWithValue("pipeline", pipeline);
        command.Parameters.AddWithValue("hashes", hashed.Select(i => i.ContentHash!).ToArray());
        var seen = new HashSet<string>(StringComparer.Ordinal);
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                seen.Add(reader.GetString(0));
            }
        }

        var fresh = new List<SourceInput>();
        foreach (var input in inputs)
        {
            if (input.ContentHash is not null && !seen.Add(input.ContentHash))
            {
                input.AlreadyIngested = true;
                LogSkipped(_logger, pipeline, input.Display);
                continue;
            }

            fresh.Add(input);
        }

        return fresh;
    }

    /// <summary>
    /// Commits the run: the good rows by the write mode, the quarantined rows, and in the same catalog transaction the
    /// run's counts, its inputs' hashes and its rejections.
    /// </summary>
    private async Task<IngestReport> CommitAsync(DuckDbConnection duck, long runId, PipelineDefinition pipeline, DatasetDefinition dataset, List<SourceInput> inputs, IngestReport report, IngestOptions options, LakePreparedAppend? prepared, CancellationToken ct)
    {
        LakePreparedAppend? quarantine = null;
        if (report.RowsQuarantined > 0)
        {
            // Written straight from the query (no staged copy of the rejected rows).
            quarantine = _tables.PrepareStreamingAppend(duck, await _tables.GetTableAsync(QuarantineTable, LakeVersion.Current, ct),
                $"""
                SELECT $run::VARCHAR || '-' || row_number() OVER (ORDER BY source_file, line) AS quarantine_id, $run::BIGINT AS run_id,
                       $pipeline AS pipeline, $dataset AS dataset, source_file, line, field, reason, rules, original, now()::TIMESTAMP AS quarantined_at
                FROM rejected
                """.Replace("$run", runId.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
                   .Replace("$pipeline", LakeStorage.SqlLiteral(pipeline.Name), StringComparison.Ordinal)
                   .Replace("$dataset", LakeStorage.SqlLiteral(dataset.Name), StringComparison.Ordinal));
        }

        long? quarantineSnapshot = null;
        string? dataFile = null;
        long? snapshotId = null;
        var commit = new LakeCommit($"pipeline:{pipeline.Name}", $"ingest run {runId}")
        {
            Also = quarantine is null ? [] : [quarantine],
            Within = async (connection, transaction, snapshot, token) =>
            {
                quarantineSnapshot = quarantine is null ? null : await CurrentSnapshotAsync(connection, transaction, QuarantineTable, token);
                await RecordRunAsync(connection, transaction, runId, pipeline, dataset, inputs, report, report.RowsCommitted > 0 ? snapshot.Id : null, quarantineSnapshot, options, token);
            },
        };

        if (prepared is { Path: not null })
        {
            // The streaming pass wrote the rows already; the file becomes visible with this commit.
            var result = await _tables.CommitPreparedAsync(prepared, commit, ct);
            snapshotId = result.Snapshot.Id;
            dataFile = result.FilesAdded.Count > 0 ? result.FilesAdded[^1].Path : null;
        }
        else if (report.RowsCommitted > 0)
        {
            if (pipeline.Write.Mode == WriteMode.Merge)
            {
                var table = await _tables.GetTableAsync(dataset.Name, LakeVersion.Current, ct);
                if (!table.KeyColumns.SequenceEqual(pipeline.Write.Key))
                {
                    throw new IngestException($"{pipeline.SourceFile}: write.key ({string.Join(", ", pipeline.Write.Key)}) is not the key of the lake table {dataset.Name} ({(table.KeyColumns.Count == 0 ? "none" : string.Join(", ", table.KeyColumns))}), so rows cannot be merged by it.");
                }
            }

            var result = await WriteAsync(duck, pipeline, dataset, commit, ct);
            snapshotId = result.Snapshot.Id;
            dataFile = result.FilesAdded.Count > 0 ? result.FilesAdded[^1].Path : null;
        }
        else if (quarantine is not null)
        {
            await _tables.CommitPreparedAsync(quarantine, commit with { Also = [] }, ct);
        }
        else
        {
            await using var connection = await _dataSource.OpenConnectionAsync(ct);
            await using var transaction = await connection.BeginTransactionAsync(ct);
            await RecordRunAsync(connection, transaction, runId, pipeline, dataset, inputs, report, null, null, options, ct);
            await transaction.CommitAsync(ct);
        }

        return report with { SnapshotId = snapshotId, DataFile = dataFile, QuarantineSnapshotId = quarantineSnapshot };
    }

    private Task<LakeCommitResult> WriteAsync(DuckDbConnection duck, PipelineDefinition pipeline, DatasetDefinition dataset, LakeCommit commit, CancellationToken ct)
    {
        const string rows = "SELECT * FROM final_rows";
        return pipeline.Write.Mode switch
        {
            WriteMode.Merge => _tables.MergeAsync(duck, dataset.Name, rows, commit, ct),
            WriteMode.OverwritePartition => _tables.ReplaceWhereAsync(duck, dataset.Name,
                $"{Quote(pipeline.Write.Partition!)} IN (SELECT DISTINCT {Quote(pipeline.Write.Partition!)} FROM final_rows)", rows, commit, ct),
            _ => _tables.AppendAsync(duck, dataset.Name, rows, commit, ct),
        };
    }

    private static async Task<long?> CurrentSnapshotAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string table, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("SELECT current_snapshot_id FROM datahub.lake_table WHERE name = @name", connection, transaction);
        command.Parameters.AddWithValue("name", table);
        return await command.ExecuteScalarAsync(ct) as long?;
    }

    /// <summary>The run's bookkeeping, inside the commit's transaction.</summary>
    private static async Task RecordRunAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, long runId, PipelineDefinition pipeline, DatasetDefinition dataset,
        List<SourceInput> inputs, IngestReport report, long? snapshotId, long? quarantineSnapshotId, IngestOptions options, CancellationToken ct)
    {
        var message = string.Create(CultureInfo.InvariantCulture,
            $"{report.Files.Count} input(s){(report.Files.Count == 0 ? " (nothing new)" : ": " + string.Join(", ", report.Files.Select(f => $"{Path.GetFileName(f.SourcePath)} ({f.Encoding}, {f.Records} rows)")))}");
        await using (var update = new NpgsqlCommand(
            """
            UPDATE datahub.ingest_run
            SET status = 'succeeded', finished_at = now(), rows_read = @read, rows_committed = @committed, rows_quarantined = @quarantined,
                bytes_read = @bytes, files_read = @files, snapshot_id = @snapshot, quarantine_snapshot_id = @quarantine, message = @message
            WHERE id = @id AND status = 'running'
            """, connection, transaction))
        {
            update.Parameters.AddWithValue("id", runId);
            update.Parameters.AddWithValue("read", report.RowsRead);
            update.Parameters.AddWithValue("committed", report.RowsCommitted);
            update.Parameters.AddWithValue("quarantined", report.RowsQuarantined);
            update.Parameters.AddWithValue("bytes", inputs.Sum(i => i.Bytes));
            update.Parameters.AddWithValue("files", inputs.Count);
            update.Parameters.Add(new NpgsqlParameter("snapshot", NpgsqlTypes.NpgsqlDbType.Bigint) { Value = (object?)snapshotId ?? DBNull.Value });
            update.Parameters.Add(new NpgsqlParameter("quarantine", NpgsqlTypes.NpgsqlDbType.Bigint) { Value = (object?)quarantineSnapshotId ?? DBNull.Value });
            update.Parameters.AddWithValue("message", message);
            if (await update.ExecuteNonQueryAsync(ct) != 1)
            {
                throw new IngestException($"Run {runId} of {pipeline.Name} is no longer running (marked abandoned by another process?); nothing was committed.");
            }
        }

        foreach (var input in inputs.Where(i => i.Position is not null))
        {
            await using var state = new NpgsqlCommand(
                """
                INSERT INTO datahub.pipeline_state (pipeline, watermark, run_id) VALUES (@pipeline, @position, @run)
                ON CONFLICT (pipeline) DO UPDATE SET watermark = excluded.watermark, run_id = excluded.run_id, updated_at = now()
                """, connection, transaction);
            state.Parameters.AddWithValue("pipeline", pipeline.Name);
            state.Parameters.AddWithValue("position", input.Position!);
            state.Parameters.AddWithValue("run", runId);
            await state.ExecuteNonQueryAsync(ct);
        }

        foreach (var input in inputs.Where(i => i.IsFile))
        {
            _ = input.ContentHash ?? throw new InvalidOperationException($"{input.Display}: its content hash is not known at the commit.");
            await using var insert = new NpgsqlCommand(
                "INSERT INTO datahub.pipeline_input (pipeline, content_hash, source, bytes, run_id) VALUES (@pipeline, @hash, @source, @bytes, @run)", connection, transaction);
            insert.Parameters.AddWithValue("pipeline", pipeline.Name);
            insert.Parameters.AddWithValue("hash", input.ContentHash!);
            insert.Parameters.AddWithValue("source", input.Display);
            insert.Parameters.AddWithValue("bytes", input.Bytes);
            insert.Parameters.AddWithValue("run", runId);
            await insert.ExecuteNonQueryAsync(ct);
        }

        if (options.Resubmitted.Count > 0)
        {
            await using var resolve = new NpgsqlCommand(
                "INSERT INTO datahub.quarantine_resolution (quarantine_id, run_id) SELECT unnest(@ids), @run ON CONFLICT DO NOTHING", connection, transaction);
            resolve.Parameters.AddWithValue("ids", options.Resubmitted.ToArray());
            resolve.Parameters.AddWithValue("run", runId);
            await resolve.ExecuteNonQueryAsync(ct);
        }

        if (snapshotId is long committed)
        {
            // The catalog's record of the dataset's files (coverage: "has data").
            await using var file = new NpgsqlCommand(
                """
                INSERT INTO datahub.data_file (dataset_id, run_id, path, row_count, size_bytes)
                SELECT d.id, @run, f.path, f.row_count, f.size_bytes
                FROM datahub.lake_file f JOIN datahub.dataset d ON d.name = @dataset
                WHERE f.added_snapshot = @snapshot
                ON CONFLICT (path) DO NOTHING
                """, connection, transaction);
            file.Parameters.AddWithValue("run", runId);
            file.Parameters.AddWithValue("snapshot", committed);
            file.Parameters.AddWithValue("dataset", dataset.Name);
            await file.ExecuteNonQueryAsync(ct);
        }

        if (report.Rejections.Count > 0)
        {
            await using var writer = await connection.BeginBinaryImportAsync(
                "COPY datahub.ingest_rejection (run_id, source_file, line, field, reason) FROM STDIN (FORMAT BINARY)", ct);
            foreach (var rejection in report.Rejections)
            {
                await writer.StartRowAsync(ct);
                await writer.WriteAsync(runId, NpgsqlTypes.NpgsqlDbType.Bigint, ct);
                await writer.WriteAsync(rejection.SourceFile, NpgsqlTypes.NpgsqlDbType.Text, ct);
                await writer.WriteAsync((object?)rejection.Line ?? DBNull.Value, NpgsqlTypes.NpgsqlDbType.Bigint, ct);
                await writer.WriteAsync((object?)rejection.Field ?? DBNull.Value, NpgsqlTypes.NpgsqlDbType.Text, ct);
                await writer.WriteAsync(rejection.Reason, NpgsqlTypes.NpgsqlDbType.Text, ct);
            }

            await writer.CompleteAsync(ct);
        }
    }

    /// <summary>Inbox files go to <c>$DATAHUB_HOME/processed/&lt;inbox&gt;/&lt;pipeline&gt;/run-N/</c> once their run committed.</summary>
    private void MoveToProcessed(PipelineDefinition pipeline, long runId, SourceInput input)
    {
        if (!input.FromInbox || !File.Exists(input.Path))
        {
            return;
        }

        var folder = Path.Combine(_home, "processed", pipeline.Source.Inbox!, pipeline.Name, $"run-{runId:D6}");
        Directory.CreateDirectory(folder);
        File.Move(input.Path, Path.Combine(folder, Path.GetFileName(input.Path)), overwrite: true);
    }

    /// <summary>Creates <see cref="QuarantineTable"/> on first use.</summary>
    private async Task EnsureQuarantineTableAsync(CancellationToken ct)
    {
        if (await _tables.ExistsAsync(QuarantineTable, ct))
        {
            return;
        }

        try
        {
            await _tables.CreateTableAsync(QuarantineTable, QuarantineColumns, ["run_id", "source_file", "line"], new LakeCommit("datahub", "pipelines' quarantined rows"), ct);
        }
        catch (LakeSchemaException)
        {
            // Created concurrently by another pipeline's run; anything else is rethrown.
            if (!await _tables.ExistsAsync(QuarantineTable, CancellationToken.None))
            {
                throw;
            }
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

    private (IngestReport Report, LakePreparedAppend? Prepared) Ingest(
        DuckDbConnection duck, long runId, PipelineDefinition pipeline, DatasetDefinition dataset, List<SourceInput> inputs, string work,
        IngestOptions options, Dictionary<string, double> phases, LakeTableInfo? streamingTarget, CancellationToken ct)
    {
        var mark = System.Diagnostics.Stopwatch.GetTimestamp();
        void Phase(string name)
        {
            var now = System.Diagnostics.Stopwatch.GetTimestamp();
            phases[name] = phases.GetValueOrDefault(name) + System.Diagnostics.Stopwatch.GetElapsedTime(mark, now).TotalSeconds;
            mark = now;
        }

        var columns = dataset.Columns.Select(c => new TypedColumn(c)).ToList();
        var delimiter = pipeline.Source.Delimiter;
        duck.Execute($"""
            CREATE TEMP TABLE staged (source_file VARCHAR, line BIGINT, {string.Join(", ", columns.Select(c => $"{c.Name} {c.Type}"))},
                                      field VARCHAR, reason VARCHAR, rules VARCHAR, original VARCHAR);
            CREATE TEMP TABLE broken (source_file VARCHAR, line BIGINT, field VARCHAR, reason VARCHAR, rules VARCHAR, original VARCHAR);
            """);

        var decoded = new List<DecodedFile>();
        var streamed = new List<StreamedFile>();
        var fields = FieldMap(pipeline, dataset);
        long rowsRead = 0;
        long bytesDone = 0;
        var bytesTotal = inputs.Sum(i => i.Bytes);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        for (var i = 0; i < inputs.Count; i++)
        {
            ct.ThrowIfCancellationRequested();
            var display = inputs[i].Display;
            inputs[i].StartHashing(); // a file known to be new is hashed on the other core while it is decoded here
            var file = inputs[i].Decoded ?? (pipeline.Source.Format == "csv"
                ? SourceDecoder.Normalize(inputs[i].Path, Path.Combine(work, $"{i}.csv"), pipeline.Source.Encoding, delimiter, header => MapField(pipeline, dataset, header))
                : JsonSourceDecoder.Normalize(inputs[i].Path, Path.Combine(work, $"{i}.csv"), pipeline.Source.Format, pipeline.Source.Encoding, fields, pipeline.Source.Records));
            var fileDelimiter = inputs[i].Decoded is null && pipeline.Source.Format == "csv" ? delimiter : ',';
            Phase("decode");
            var missing = dataset.Columns.Where(c => c.Source is not null && !file.Columns.Contains(c.Name)).ToList();
            if (missing.Count > 0)
            {
                throw new IngestException($"{display}:1: the header lacks {string.Join(", ", missing.Select(m => $"'{m.Source}' ({m.Name})"))}; found: {string.Join(", ", file.Headers)}.");
            }

            decoded.Add(file);
            rowsRead += file.Records + (file.Rejected?.Count ?? 0);
            foreach (var rejected in file.Rejected ?? [])
            {
                // Records the decoder could not read (malformed JSON, not an object): quarantined with their raw text.
                using var insert = new DuckDbCommand("INSERT INTO broken VALUES ($source, $line, NULL, $reason, NULL, to_json($raw)::VARCHAR)", duck);
                insert.Parameters.Add("source", display);
                insert.Parameters.Add("line", rejected.Line);
                insert.Parameters.Add("reason", rejected.Reason);
                insert.Parameters.Add("raw", rejected.RawText);
                insert.ExecuteNonQuery();
            }

            LogFile(_logger, display, file.Encoding, file.Records);
            var unmapped = file.Headers.Where((_, c) => file.Columns[c].StartsWith("__extra_", StringComparison.Ordinal)).ToList();
            if (unmapped.Count > 0)
            {
                // Kept in the quarantine's original values only when a row is rejected; say so rather than drop them quietly.
                LogUnmapped(_logger, display, string.Join(", ", unmapped), dataset.Name);
            }

            if (streamingTarget is not null)
            {
                streamed.Add(new StreamedFile(file, display, i, fileDelimiter));
                continue;
            }

            using (ProgressPoller.Start(duck, options.Progress, display, rowsRead, bytesDone, inputs[i].Bytes, bytesTotal, started))
            {
                StageFile(duck, file, display, i, columns, fileDelimiter);
            }

            Phase("parse and type");

            bytesDone += inputs[i].Bytes;
            options.Progress?.Report(new IngestProgress(display, rowsRead, bytesDone, bytesTotal, System.Diagnostics.Stopwatch.GetElapsedTime(started)));
        }

        if (streamingTarget is not null)
        {
            LakePreparedAppend? prepared = null;
            try
            {
                using (ProgressPoller.Start(duck, options.Progress, inputs.Count == 1 ? inputs[0].Display : $"{inputs.Count} files", rowsRead, 0, bytesTotal, bytesTotal, started))
                {
                    prepared = StreamFiles(duck, pipeline, dataset, columns, streamed, options.Gate, streamingTarget);
                }

                Phase("parse, type, gate and write");
                var streamedReport = FinishStreaming(duck, runId, pipeline, dataset, decoded, rowsRead, prepared?.Rows ?? 0, options.Gate);
                Phase("rejections");
                return (streamedReport, prepared);
            }
            catch when (prepared is not null)
            {
                _tables.DiscardPrepared(prepared);
                throw;
            }
        }

        Phase("parse and type");
        var checks = ApplyGate(duck, pipeline, dataset, options.Gate);
        Phase("quality gate");
        var breaks = new Dictionary<string, long>(StringComparer.Ordinal);
        using (var reader = new DuckDbCommand("SELECT r, count(*) FROM (SELECT unnest(string_split(rules, ',')) AS r FROM staged WHERE rules IS NOT NULL) GROUP BY r", duck).ExecuteReader())
        {
            while (reader.Read())
            {
                breaks[reader.GetString(0)] = reader.GetInt64(1);
            }
        }

        long Scalar(string sql) => Convert.ToInt64(new DuckDbCommand(sql, duck).ExecuteScalar(), CultureInfo.InvariantCulture);
        var collapsed = pipeline.Write.Mode == WriteMode.Merge ? SettleDuplicateKeys(duck, pipeline, columns) : 0;
        var staged = Scalar("SELECT count(*) FROM staged");
        var brokenLines = Scalar("SELECT count(*) FROM broken");
        var accepted = Scalar("SELECT count(*) FROM staged WHERE reason IS NULL");
        var quarantined = (staged - accepted) + brokenLines;
        if (staged + brokenLines != rowsRead)
        {
            throw new IngestException(string.Create(CultureInfo.InvariantCulture,
                $"Run {runId}: the inputs hold {rowsRead} records but DuckDB read {staged} and rejected {brokenLines}; refusing to commit a run whose counts do not add up."));
        }

        if (pipeline.Gate.MaxRejectedPercent is double limit && rowsRead > 0 && quarantined * 100.0 / rowsRead > limit)
        {
            throw new IngestRejectedException(string.Create(CultureInfo.InvariantCulture,
                $"Run {runId}: {quarantined} of {rowsRead} rows ({quarantined * 100.0 / rowsRead:F1}%) were rejected, above quality_gate.max_rejected_percent {limit}%; nothing was committed."));
        }

        // The rows to write: the accepted rows, through the transformation when there is one.
        var good = $"SELECT {string.Join(", ", columns.Select(c => Quote(c.Name)))} FROM staged WHERE reason IS NULL";
        if (collapsed > 0)
        {
            // Records repeated whole within the delivery are written once (they are one record).
            good += $" QUALIFY row_number() OVER (PARTITION BY {string.Join(", ", pipeline.Write.Key.Select(Quote))} ORDER BY rowid DESC) = 1";
        }

        duck.Execute(pipeline.Transform is { } transform
            ? $"CREATE OR REPLACE TEMP VIEW source AS {good}; CREATE OR REPLACE TEMP TABLE final_rows AS {transform}"
            : $"CREATE OR REPLACE TEMP VIEW final_rows AS {good}"); // no copy: the lake write reads the staged rows once
        var committed = Scalar("SELECT count(*) FROM final_rows");
        if (pipeline.Transform is null && committed != accepted - collapsed)
        {
            throw new IngestException($"Run {runId}: {accepted} rows were accepted ({collapsed} repeating another whole) but {committed} are to be written; refusing to commit.");
        }

        Phase("rows to write");
        duck.Execute("""
            CREATE OR REPLACE TEMP TABLE rejected AS
            SELECT source_file, line, field, reason, rules, original FROM staged WHERE reason IS NOT NULL
            UNION ALL SELECT source_file, line, field, reason, rules, original FROM broken
            """);
        var rejections = ReadRejections(duck);

        // A transformation may drop or add rows on purpose; the run then accounts for what it read as committed or
        // quarantined all the same (read = accepted + quarantined), and reports the rows written separately.
        Phase("rejections");
        return (new IngestReport(runId, dataset.Name, decoded, rowsRead, accepted, quarantined, null, null, null, rejections)
        {
            RowsWritten = committed,
            Checks = checks.Select(r => new GateCheck(r.Id, r.Columns.Count == 1 ? r.Columns[0] : null, breaks.GetValueOrDefault(r.Id))).ToList(),
        }, null);
    }

    /// <summary>The first rejections of the table <c>rejected</c>, which the catalog keeps for quick display.</summary>
    private List<IngestRejection> ReadRejections(DuckDbConnection duck)
    {
        var rejections = new List<IngestRejection>();
        // The catalog keeps the first rejections of a run for quick display (datahub pipeline show); every rejected row,
        // with its original values, is in the lake table quarantine.rejected_rows.
        using var reader = new DuckDbCommand($"SELECT source_file, line, field, reason FROM rejected ORDER BY source_file, line LIMIT {MaxCatalogRejections}", duck).ExecuteReader();
        while (reader.Read())
        {
            var rejection = new IngestRejection(reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetInt64(1),
                reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetString(3));
            rejections.Add(rejection);
            if (rejections.Count <= 100)
            {
                LogRejected(_logger, rejection.SourceFile, rejection.Line ?? 0, rejection.Reason);
            }
        }

        return rejections;
    }

    /// <summary>
    /// Merge key repeated within one delivery: an earlier record whose values differ from the last one with its key is
    /// quarantined (the later record is the one kept — a correction); records repeating another whole are one record,
    /// written once and counted as committed. Returns how many such whole repeats there are.
    /// </summary>
    private static long SettleDuplicateKeys(DuckDbConnection duck, PipelineDefinition pipeline, List<TypedColumn> columns)
    {
        var key = string.Join(", ", pipeline.Write.Key.Select(Quote));
        var values = string.Join(", ", columns.Select(c => Quote(c.Name)));
        duck.Execute($"""
            CREATE OR REPLACE TEMP TABLE superseded AS
            SELECT s.rowid AS id, l.source_file AS later_file, l.line AS later_line
            FROM (SELECT rowid, * FROM staged WHERE reason IS NULL
                  QUALIFY row_number() OVER (PARTITION BY {key} ORDER BY rowid DESC) > 1) s
            JOIN (SELECT * FROM staged WHERE reason IS NULL
                  QUALIFY row_number() OVER (PARTITION BY {key} ORDER BY rowid DESC) = 1) l
              ON {string.Join(" AND ", pipeline.Write.Key.Select(k => $"s.{Quote(k)} IS NOT DISTINCT FROM l.{Quote(k)}"))}
            WHERE ({string.Join(", ", columns.Select(c => $"s.{Quote(c.Name)}"))}) IS DISTINCT FROM ({string.Join(", ", columns.Select(c => $"l.{Quote(c.Name)}"))});
            UPDATE staged SET field = 'key', reason = 'the key ({string.Join(", ", pipeline.Write.Key)}) comes again at ' || x.later_file || ':' || x.later_line || ' with other values; the later record is kept',
                   original = json_object({string.Join(", ", columns.Select(c => $"'{c.Name}', staged.{Quote(c.Name)}::VARCHAR"))})::VARCHAR
            FROM superseded x WHERE staged.rowid = x.id;
            DROP TABLE superseded;
            """);
        using var command = new DuckDbCommand($"SELECT count(*) - count(DISTINCT ({key})) FROM (SELECT {values} FROM staged WHERE reason IS NULL)", duck);
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    /// <summary>The catalog column a source field goes to: the pipeline's mapping, else the catalog's source name, else a column of that name.</summary>
    private static string? MapField(PipelineDefinition pipeline, DatasetDefinition dataset, string field) =>
        pipeline.Mapping.TryGetValue(field, out var column)
            ? column
            : (dataset.ColumnForSource(field) ?? dataset.Columns.FirstOrDefault(c => c.Name == field))?.Name;

    private static void StageFile(DuckDbConnection duck, DecodedFile file, string display, int index, List<TypedColumn> columns, char delimiter)
    {
        var delim = LakeStorage.SqlLiteral(delimiter.ToString());
        var present = columns.Where(c => file.Columns.Contains(c.Name)).ToList();
        // Inner query: each field trimmed (raw) and typed once; outer query: which fields did not type, and why.
        var inner = string.Join(", ", file.Columns.Select(Quote).Concat(present.Select(c => $"{c.TypedExpression} AS {Quote("__typed_" + c.Name)}")));
        string Typed(TypedColumn c) => Quote("__typed_" + c.Name);
        string Bad(TypedColumn c) => c.Type == "VARCHAR" ? "false" : $"({Typed(c)} IS NULL AND {Quote(c.Name)} IS NOT NULL AND trim({Quote(c.Name)}) <> '')";
        var typed = columns.Select(c => present.Contains(c) ? Typed(c) : $"CAST(NULL AS {c.Type})");
        var badColumns = present.Where(c => c.Type != "VARCHAR").ToList();
        // Field names, reasons and the original values (source header → text) are only built for rows a value rejects.
        var anyBad = string.Join(" OR ", badColumns.Select(Bad).DefaultIfEmpty("false"));
        var field = $"CASE WHEN __bad THEN concat_ws(', ', {string.Join(", ", badColumns.Select(c => $"CASE WHEN {Bad(c)} THEN '{c.Name}' END").DefaultIfEmpty("NULL"))}) END";
        var reason = $"CASE WHEN __bad THEN concat_ws('; ', {string.Join(", ", badColumns.Select(c => $"CASE WHEN {Bad(c)} THEN {c.ReasonExpression} END").DefaultIfEmpty("NULL"))}) END";
        var original = $"CASE WHEN __bad THEN json_object({string.Join(", ", file.Headers.Select((h, i) => $"{LakeStorage.SqlLiteral(h)}, {Quote(file.Columns[i])}"))})::VARCHAR END";
        // One pass: DuckDB parses the file (structural errors go to its rejects table) and every field is typed.
        using (var insert = new DuckDbCommand(
            $"""
            INSERT INTO staged
            SELECT $source, TRY_CAST({SourceDecoder.LineColumn} AS BIGINT), {string.Join(", ", typed)}, {field}, {reason}, NULL, {original}
            FROM (SELECT *, {anyBad} AS __bad
                  FROM (SELECT {SourceDecoder.LineColumn}, {inner}
                        FROM read_csv($path, header = true, all_varchar = true, delim = {delim}, quote = '"', escape = '"',
                                      store_rejects = true, rejects_table = 'rejects_{index}', rejects_scan = 'scans_{index}')))
            """, duck))
        {
            insert.Parameters.Add("source", display);
            insert.Parameters.Add("path", file.DecodedPath);
            insert.ExecuteNonQuery();
        }

        InsertBroken(duck, file, display, index, delimiter);
    }

    /// <summary>
    /// Structural errors (too many or too few fields, bad quoting) of the scan of file <paramref name="index"/>: DuckDB
    /// keeps the raw line in its rejects table; its first field is the source line number the decoder put there.
    /// </summary>
    private static void InsertBroken(DuckDbConnection duck, DecodedFile file, string display, int index, char delimiter)
    {
        var delim = LakeStorage.SqlLiteral(delimiter.ToString());
        using var broken = new DuckDbCommand(
            $"""
            INSERT INTO broken
            SELECT $source, source_line, any_value(column_name),
                   string_agg(CASE error_type WHEN 'TOO MANY COLUMNS' THEN 'too many fields' WHEN 'MISSING COLUMNS' THEN 'too few fields'
                                  ELSE lower(error_type) || ': ' || error_message END || ' (the header has {file.Columns.Count} fields)', '; '),
                   NULL, to_json(any_value(substr(csv_line, strpos(csv_line, {delim}) + 1)))::VARCHAR
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
    /// <summary>Applies the gate; returns the rules that decided which rows were rejected.</summary>
    private static List<QualityRule> ApplyGate(DuckDbConnection duck, PipelineDefinition pipeline, DatasetDefinition dataset, IReadOnlyList<QualityRule> gate)
    {
        var (reject, failRun, rules) = GateRules(pipeline, gate);
        if (rules.Count == 0)
        {
            return [];
        }

        QualityFunctions.Register(duck);
        var compiled = RuleCompiler.Compile(rules, dataset.Columns.ToDictionary(c => c.Name, c => c.DataType, StringComparer.Ordinal));
        duck.Execute($"""
            CREATE OR REPLACE TEMP TABLE gated AS
            SELECT __rowid, source_file, line, __violations
            FROM ({compiled.ViolationsSql("SELECT rowid AS __rowid, * FROM staged WHERE reason IS NULL", RuleSeverity.Warn)}) WHERE len(__violations) > 0;
            """);
        FailRunOnBreaches(duck, failRun, "SELECT unnest(__violations) AS v, source_file, line FROM gated");

        var rejectList = string.Join(", ", reject.Select(r => LakeStorage.SqlLiteral(r.Id)).DefaultIfEmpty("NULL"));
        duck.Execute($"""
            UPDATE staged SET field = 'quality', reason = 'breaks quality rule(s) ' || array_to_string(g.broken, ', '), rules = array_to_string(g.broken, ','),
                   original = json_object({string.Join(", ", dataset.Columns.Select(c => $"{LakeStorage.SqlLiteral(c.Source ?? c.Name)}, staged.{Quote(c.Name)}::VARCHAR"))})::VARCHAR
            FROM (SELECT __rowid, list_filter(__violations, v -> v IN ({rejectList})) AS broken FROM gated) g
            WHERE staged.rowid = g.__rowid AND len(g.broken) > 0;
            DROP TABLE gated;
            """);
        return reject;
    }

    /// <summary>
    /// The gate's row rules: those that reject rows (quality_gate.reject, else the fail-severity ones), those that fail
    /// the run (quality_gate.fail_run), and both together; all empty when the gate is off.
    /// </summary>
    private static (List<QualityRule> Reject, List<QualityRule> FailRun, List<QualityRule> All) GateRules(PipelineDefinition pipeline, IReadOnlyList<QualityRule> gate)
    {
        if (!pipeline.Gate.Enabled)
        {
            return ([], [], []);
        }

        var rowLevel = gate.Where(r => !RuleCompiler.IsSetRule(r.Kind) && r.Kind is not (RuleKind.RowCount or RuleKind.Freshness or RuleKind.Schema or RuleKind.SourceConflicts)).ToList();
        var reject = pipeline.Gate.Reject is { } ids
            ? rowLevel.Where(r => ids.Contains(r.Id)).ToList()
            : rowLevel.Where(r => r.Severity == RuleSeverity.Fail).ToList();
        var failRun = rowLevel.Where(r => pipeline.Gate.FailRun.Contains(r.Id)).ToList();
        var rules = reject.Concat(failRun).DistinctBy(r => r.Id).ToList();
        return rules.Count == 0 ? ([], [], []) : (reject, failRun, rules);
    }

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    [GeneratedRegex(@"^(VARCHAR|BOOLEAN|TINYINT|SMALLINT|INTEGER|BIGINT|DOUBLE|FLOAT|DATE|TIMESTAMP|TIMESTAMPTZ|TIME|UUID|DECIMAL\(\d{1,2},\d{1,2}\))$")]
    private static partial Regex SupportedType();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pipeline {Pipeline}: {Count} earlier run(s) were left running by a process that died; marked abandoned")]
    private static partial void LogAbandoned(ILogger logger, string pipeline, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Pipeline {Pipeline}: {Input} was ingested before (same content); skipped")]
    private static partial void LogSkipped(ILogger logger, string pipeline, string input);

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
        private readonly string _label;

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
            var field = Quote(Name);
            var raw = $"nullif(trim({field}), '')";
            // Casts from text ignore surrounding spaces and give NULL for '', so typed columns need no trim; text is
            // trimmed only when it starts or ends with a space (trimming every value costs a copy of each).
            TypedExpression = Type switch
            {
                // One try_strptime with both spellings: the trimmed text then appears once, so DuckDB computes it only
                // for the values the plain cast did not read (a repeated subexpression would be computed for every row).
                "DATE" => $"coalesce(TRY_CAST({field} AS DATE), CAST(try_strptime({raw}, ['%Y/%m/%d', '%Y%m%d']) AS DATE))",
                "VARCHAR" => $"CASE WHEN starts_with({field}, ' ') OR suffix({field}, ' ') THEN {raw} ELSE nullif({field}, '') END",
                _ => $"TRY_CAST({field} AS {Type})",
            };
            _label = (column.Source is null ? Name : $"{Name} ({column.Source})").Replace("'", "''", StringComparison.Ordinal);
            ReasonExpression = ReasonFor(field);
        }

        public string Name { get; }

        public string Type { get; }

        public string TypedExpression { get; }

        public string ReasonExpression { get; }

        /// <summary>Why the text in <paramref name="rawColumn"/> (a quoted column) did not type: the column, the trimmed text and the type.</summary>
        public string ReasonFor(string rawColumn) => $"'{_label}: ''' || nullif(trim({rawColumn}), '') || ''' is not a valid {Type}'";
    }

    /// <summary>Fails the run, naming each rule and its first row, when rows break rules of quality_gate.fail_run.</summary>
    /// <param name="duck">The run's DuckDB connection.</param>
    /// <param name="failRun">The fail_run rules.</param>
    /// <param name="violationsSql">A query of (v: the rule broken, source_file, line), one row per violation.</param>
    private static void FailRunOnBreaches(DuckDbConnection duck, List<QualityRule> failRun, string violationsSql)
    {
        if (failRun.Count == 0)
        {
            return;
        }

        var list = string.Join(", ", failRun.Select(r => LakeStorage.SqlLiteral(r.Id)));
        using var reader = new DuckDbCommand(
            $"SELECT v, count(*), min(source_file || ':' || line) FROM ({violationsSql}) WHERE v IN ({list}) GROUP BY v ORDER BY v", duck).ExecuteReader();
        var breaches = new List<string>();
        while (reader.Read())
        {
            breaches.Add(string.Create(CultureInfo.InvariantCulture, $"{reader.GetString(0)} ({reader.GetInt64(1)} row(s), first at {reader.GetString(2)})"));
        }

        if (breaches.Count > 0)
        {
            throw new IngestRejectedException($"Rows break rule(s) listed in quality_gate.fail_run: {string.Join("; ", breaches)}; the run fails and nothing was committed.");
        }
    }
}
