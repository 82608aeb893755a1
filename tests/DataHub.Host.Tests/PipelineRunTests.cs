using System.Diagnostics;
using System.Globalization;
using System.Text;
using DataHub.Catalog;
using DataHub.DuckDb;
using DataHub.Host.Cli;
using DataHub.Lake.Tables;
using DataHub.Pipelines.Definitions;
using DataHub.Pipelines.Ingest;
using Microsoft.Extensions.Logging.Abstractions;

namespace DataHub.Host.Tests;

/// <summary>Pipeline runs end to end on the real platform: inbox files once, write modes, quarantine and re-submission.</summary>
public sealed class PipelineRunTests(PlatformFixture fixture) : IClassFixture<PlatformFixture>
{
    private const string Header = "户号,表号,抄表日期,读数,用量,地址,所属区县";
    private string? _root;

    [Fact]
    public async Task Inbox_files_are_ingested_exactly_once_by_content_and_moved_to_processed()
    {
        var pipeline = Pipeline("inbox_once", "inbox-once");
        var inbox = Path.Combine(fixture.Home, "inbox", "inbox-once");
        Directory.CreateDirectory(inbox);
        await File.WriteAllTextAsync(Path.Combine(inbox, "day1.csv"), Rows(1, 50, "2026-10-01"));

        var first = await Ingestor().RunAsync(pipeline, Dataset("water.meter_reading_daily"), fixture.Platform.Settings.Root, new IngestOptions());
        Assert.Equal((50L, 50L, 0L), (first.RowsRead, first.RowsCommitted, first.RowsQuarantined));
        Assert.Empty(Directory.GetFiles(inbox));
        Assert.Single(Directory.GetFiles(Path.Combine(fixture.Home, "processed", "inbox-once", "inbox_once"), "day1.csv", SearchOption.AllDirectories));

        // The same content dropped again under another name is skipped (and moved); a new file is ingested.
        await File.WriteAllTextAsync(Path.Combine(inbox, "day1-again.csv"), Rows(1, 50, "2026-10-01"));
        await File.WriteAllTextAsync(Path.Combine(inbox, "day2.csv"), Rows(1, 20, "2026-10-02"));
        var second = await Ingestor().RunAsync(pipeline, Dataset("water.meter_reading_daily"), fixture.Platform.Settings.Root, new IngestOptions());
        Assert.Equal((20L, 20L), (second.RowsRead, second.RowsCommitted));
        Assert.Single(second.Files);
        Assert.Empty(Directory.GetFiles(inbox));

        var third = await Ingestor().RunAsync(pipeline, Dataset("water.meter_reading_daily"), fixture.Platform.Settings.Root, new IngestOptions());
        Assert.Equal(0, third.RowsRead);
        Assert.Null(third.SnapshotId);

        await using var inputs = fixture.Platform.DataSource.CreateCommand("SELECT count(*), count(DISTINCT content_hash) FROM datahub.pipeline_input WHERE pipeline = 'inbox_once'");
        await using var reader = await inputs.ExecuteReaderAsync();
        await reader.ReadAsync();
        Assert.Equal((2L, 2L), (reader.GetInt64(0), reader.GetInt64(1)));
    }

    [Fact]
    public async Task Files_of_a_size_not_seen_before_are_hashed_beside_decoding_and_still_ingested_once_by_content()
    {
        var pipeline = Pipeline("inbox_sizes", "inbox-sizes");
        var inbox = Path.Combine(fixture.Home, "inbox", "inbox-sizes");
        Directory.CreateDirectory(inbox);

        // One run: a file and its copy (same size, same content), another file of that size (other content), and a
        // file of a size of its own, whose hash is computed while it is decoded.
        var day1 = Rows(1, 30, "2026-10-01");
        var day2 = Rows(1, 30, "2026-10-02");
        var day3 = Rows(1, 7, "2026-10-03");
        Assert.Equal(Encoding.UTF8.GetByteCount(day1), Encoding.UTF8.GetByteCount(day2));
        await File.WriteAllTextAsync(Path.Combine(inbox, "a.csv"), day1);
        await File.WriteAllTextAsync(Path.Combine(inbox, "a-copy.csv"), day1);
        await File.WriteAllTextAsync(Path.Combine(inbox, "b.csv"), day2);
        await File.WriteAllTextAsync(Path.Combine(inbox, "c.csv"), day3);
        var expected = new[] { day1, day2, day3 }
            .Select(d => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(d)))).Order(StringComparer.Ordinal).ToList();

        var first = await Ingestor().RunAsync(pipeline, Dataset("water.meter_reading_daily"), fixture.Platform.Settings.Root, new IngestOptions());
        Assert.Equal((67L, 67L, 3), (first.RowsRead, first.RowsCommitted, first.Files.Count));
        Assert.Equal(1, first.HashedBesideDecoding); // c.csv: a.csv, its copy and b.csv share a size, so were hashed first
        Assert.Equal(expected, await HashesAsync());

        // The content of c.csv again under another name: its size is known now, so it is hashed first and skipped.
        await File.WriteAllTextAsync(Path.Combine(inbox, "c-again.csv"), day3);
        var second = await Ingestor().RunAsync(pipeline, Dataset("water.meter_reading_daily"), fixture.Platform.Settings.Root, new IngestOptions());
        Assert.Equal((0L, 0, 0), (second.RowsRead, second.Files.Count, second.HashedBesideDecoding));
        Assert.Equal(expected, await HashesAsync());
        Assert.Empty(Directory.GetFiles(inbox));

        async Task<List<string>> HashesAsync()
        {
            await using var command = fixture.Platform.DataSource.CreateCommand("SELECT content_hash FROM datahub.pipeline_input WHERE pipeline = 'inbox_sizes' ORDER BY content_hash COLLATE \"C\"");
            await using var reader = await command.ExecuteReaderAsync();
            var hashes = new List<string>();
            while (await reader.ReadAsync())
            {
                hashes.Add(reader.GetString(0));
            }

            return hashes;
        }
    }

    [Fact]
    public async Task Merge_replaces_rows_by_key_and_overwrite_partition_replaces_a_day()
    {
        var merge = Pipeline("merge_water", "merge-water") with { Target = "water.meter_reading_daily" };
        merge = merge with { Write = new WriteDefinition { Mode = WriteMode.Merge, Key = ["account_no", "reading_date"] } };
        var inbox = Path.Combine(fixture.Home, "inbox", "merge-water");
        Directory.CreateDirectory(inbox);
        await File.WriteAllTextAsync(Path.Combine(inbox, "a.csv"), Rows(100, 10, "2026-09-01"));
        await Ingestor().RunAsync(merge, Dataset("water.meter_reading_daily"), fixture.Platform.Settings.Root, new IngestOptions());
        var before = await CountAsync("account_no BETWEEN 'WS340100100' AND 'WS340100109' AND reading_date = DATE '2026-09-01'");

        // The utility re-sends the day with corrected readings: same keys, new values.
        await File.WriteAllTextAsync(Path.Combine(inbox, "b.csv"), Rows(100, 10, "2026-09-01", reading: "999.00"));
        var merged = await Ingestor().RunAsync(merge, Dataset("water.meter_reading_daily"), fixture.Platform.Settings.Root, new IngestOptions());
        Assert.Equal(10, merged.RowsCommitted);
        Assert.Equal(before, await CountAsync("account_no BETWEEN 'WS340100100' AND 'WS340100109' AND reading_date = DATE '2026-09-01'"));
        Assert.Equal(10, await CountAsync("account_no BETWEEN 'WS340100100' AND 'WS340100109' AND reading_date = DATE '2026-09-01' AND reading_m3 = 999"));

        // Within one delivery: a whole repeat is one record; the same key with other values keeps the later record
        // and quarantines the earlier one, saying where the later one is.
        await File.WriteAllTextAsync(Path.Combine(inbox, "d.csv"), $"""
            {Header}
            WS340100201,M1,2026-09-02,1.00,0.50,合肥市蜀山区长江西路1号,340104
            WS340100201,M1,2026-09-02,1.00,0.50,合肥市蜀山区长江西路1号,340104
            WS340100202,M2,2026-09-02,1.00,0.50,合肥市蜀山区长江西路2号,340104
            WS340100202,M2,2026-09-02,2.00,0.50,合肥市蜀山区长江西路2号,340104
            """);
        var repeats = await Ingestor().RunAsync(merge, Dataset("water.meter_reading_daily"), fixture.Platform.Settings.Root, new IngestOptions());
        Assert.Equal((4L, 3L, 1L, 2L), (repeats.RowsRead, repeats.RowsCommitted, repeats.RowsQuarantined, repeats.RowsWritten));
        var superseded = Assert.Single(repeats.Rejections);
        Assert.Equal(4, superseded.Line);
        Assert.Contains("comes again at inbox/merge-water/d.csv:5 with other values", superseded.Reason, StringComparison.Ordinal);
        Assert.Equal(1, await CountAsync("account_no = 'WS340100202' AND reading_m3 = 2"));

        var overwrite = merge with { Name = "overwrite_water", Write = new WriteDefinition { Mode = WriteMode.OverwritePartition, Key = ["account_no", "reading_date"], Partition = "reading_date" } };
        await File.WriteAllTextAsync(Path.Combine(inbox, "c.csv"), Rows(500, 3, "2026-09-01"));
        var replaced = await Ingestor().RunAsync(overwrite, Dataset("water.meter_reading_daily"), fixture.Platform.Settings.Root, new IngestOptions());
        Assert.Equal(3, replaced.RowsCommitted);
        Assert.Equal(3, await CountAsync("reading_date = DATE '2026-09-01'"));
    }

    [Fact]
    public async Task Rejected_rows_go_to_the_quarantine_table_with_reasons_and_return_when_corrected()
    {
        var pipeline = Pipeline("quarantine_water", "quarantine-water") with { Gate = new QualityGateDefinition { Enabled = true } };
        var inbox = Path.Combine(fixture.Home, "inbox", "quarantine-water");
        Directory.CreateDirectory(inbox);
        await File.WriteAllTextAsync(Path.Combine(inbox, "dirty.csv"), $"""
            {Header}
            WS340100701,M1,2026-08-01,1.00,0.50,合肥市蜀山区长江西路1号,340104
            XX701,M2,2026-08-01,1.00,0.50,合肥市蜀山区长江西路2号,340104
            WS340100703,M3,2026-08-01,abc,0.50,合肥市蜀山区长江西路3号,340104
            """);
        var report = await Ingestor().RunAsync(pipeline, Dataset("water.meter_reading_daily"), fixture.Platform.Settings.Root,
            new IngestOptions { Gate = Gate("water.meter_reading_daily") });
        Assert.Equal((3L, 1L, 2L), (report.RowsRead, report.RowsCommitted, report.RowsQuarantined));
        Assert.NotNull(report.QuarantineSnapshotId);

        // The quarantine is a lake table: file, line, reason, the rules broken and the original values.
        var scan = await fixture.Platform.Tables.ScanAsync(PipelineIngestor.QuarantineTable);
        using var duck = new DuckDbConnection("Data Source=:memory:");
        duck.Open();
        var rows = new List<(long Line, string Reason, string? Rules, string Original)>();
        using (var command = new DuckDbCommand($"SELECT line, reason, rules, original FROM ({scan.Sql}) q WHERE run_id = $run ORDER BY line", duck))
        {
            command.Parameters.Add("run", report.RunId);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                rows.Add((reader.GetInt64(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetString(3)));
            }
        }

        Assert.Equal([3L, 4L], rows.Select(r => r.Line));
        Assert.Equal("water.account_no.format", rows[0].Rules);
        Assert.Contains("\"户号\":\"XX701\"", rows[0].Original, StringComparison.Ordinal);
        Assert.Contains("'abc' is not a valid DECIMAL", rows[1].Reason, StringComparison.Ordinal);

        // Export the open rows, correct them, re-submit: they are committed and no longer open. The CLI finds the
        // pipeline in a root holding its definition beside the real catalog.
        var root = Directory.CreateTempSubdirectory("datahub-quarantine-root-").FullName;
        Directory.CreateSymbolicLink(Path.Combine(root, "catalog"), Path.Combine(fixture.Platform.Settings.Root, "catalog"));
        Directory.CreateDirectory(Path.Combine(root, "pipelines"));
        await File.WriteAllTextAsync(Path.Combine(root, "pipelines", "quarantine_water.yaml"),
            "name: quarantine_water\ndepartment: water\ntarget: water.meter_reading_daily\nsource:\n  inbox: quarantine-water\nquality_gate: true\n");
        _root = root;
        var home = fixture.Home;
        var corrections = Path.Combine(home, "corrections.csv");
        var (code, output) = await CliAsync("pipeline", "quarantine", "quarantine_water", "--out", corrections);
        Assert.True(code == 0, output);
        Assert.Contains("2 open quarantined row(s)", output, StringComparison.Ordinal);
        var text = (await File.ReadAllTextAsync(corrections)).Replace("XX701", "WS340100702", StringComparison.Ordinal).Replace(",abc,", ",3.00,", StringComparison.Ordinal);
        await File.WriteAllTextAsync(corrections, text);
        (code, output) = await CliAsync("pipeline", "resubmit", "quarantine_water", corrections);
        Assert.True(code == 0, output);
        Assert.Contains("committed 2, quarantined again 0; 2 quarantine id(s) resolved", output, StringComparison.Ordinal);
        (code, output) = await CliAsync("pipeline", "quarantine", "quarantine_water");
        Assert.Contains("0 open quarantined row(s) of quarantine_water (2 re-submitted)", output, StringComparison.Ordinal);
        Assert.Equal(1, await CountAsync("account_no = 'WS340100702'"));
    }

    [Fact]
    public async Task A_run_emits_openlineage_events_with_quality_facets_that_the_official_schemas_accept()
    {
        var inbox = Path.Combine(fixture.Home, "inbox", "facets-water");
        Directory.CreateDirectory(inbox);
        await File.WriteAllTextAsync(Path.Combine(inbox, "f.csv"), $"""
            {Header}
            WS340100601,M1,2026-08-02,1.00,0.50,合肥市蜀山区长江西路1号,340104
            XX602,M2,2026-08-02,1.00,0.50,合肥市蜀山区长江西路2号,340104
            WS340100603,M3,2026-08-02,1.00,0.50,合肥市蜀山区长江西路3号,340104
            """);
        var pipeline = Pipeline("facets_water", "facets-water") with { Gate = new QualityGateDefinition { Enabled = true } };
        var ingestor = new PipelineIngestor(fixture.Platform.Catalog, fixture.Platform.DataSource, fixture.Platform.Tables, fixture.Home, NullLogger.Instance, fixture.Platform.Lineage);
        var report = await ingestor.RunAsync(pipeline, Dataset("water.meter_reading_daily"), fixture.Platform.Settings.Root, new IngestOptions { Gate = Gate("water.meter_reading_daily") });

        var events = await fixture.Platform.Lineage.Store.GetEventsAsync(report.LineageRunId!.Value);
        Assert.Equal(["START", "COMPLETE"], events.Select(e => (string?)e["eventType"]));
        Assert.All(events, e => Assert.Empty(DataHub.Catalog.Tests.Lineage.Schema.OpenLineageSchemas.Validate(e)));
        var complete = events[1];
        var input = complete["inputs"]![0]!["inputFacets"]!;
        Assert.Equal(3, (long)input["dataQualityMetrics"]!["rowCount"]!);
        var assertions = input["dataQualityAssertions"]!["assertions"]!.AsArray();
        var format = Assert.Single(assertions, a => (string?)a!["assertion"] == "water.account_no.format")!;
        Assert.False((bool)format["success"]!);
        Assert.Equal("account_no", (string?)format["column"]);
        Assert.Contains(assertions, a => (bool)a!["success"]!);
        Assert.Equal(2, (long)complete["outputs"]![0]!["outputFacets"]!["outputStatistics"]!["rowCount"]!);
    }

    [Fact]
    public async Task The_gate_threshold_and_fail_run_rules_fail_the_run_and_commit_nothing()
    {
        var inbox = Path.Combine(fixture.Home, "inbox", "strict-water");
        Directory.CreateDirectory(inbox);
        await File.WriteAllTextAsync(Path.Combine(inbox, "bad.csv"), $"""
            {Header}
            XX1,M1,2026-07-01,1.00,0.50,合肥市蜀山区长江西路1号,340104
            WS340100802,M2,2026-07-01,1.00,0.50,合肥市蜀山区长江西路2号,340104
            """);
        var strict = Pipeline("strict_water", "strict-water") with { Gate = new QualityGateDefinition { Enabled = true, MaxRejectedPercent = 10 } };
        var error = await Assert.ThrowsAsync<IngestRejectedException>(() =>
            Ingestor().RunAsync(strict, Dataset("water.meter_reading_daily"), fixture.Platform.Settings.Root, new IngestOptions { Gate = Gate("water.meter_reading_daily") }));
        Assert.Contains("1 of 2 rows (50.0%) were rejected, above quality_gate.max_rejected_percent 10%", error.Message, StringComparison.Ordinal);
        Assert.Single(Directory.GetFiles(inbox)); // not consumed: the next run tries it again

        var failRun = strict with { Gate = new QualityGateDefinition { Enabled = true, Reject = [], FailRun = ["water.account_no.format"] } };
        error = await Assert.ThrowsAsync<IngestRejectedException>(() =>
            Ingestor().RunAsync(failRun, Dataset("water.meter_reading_daily"), fixture.Platform.Settings.Root, new IngestOptions { Gate = Gate("water.meter_reading_daily") }));
        Assert.Contains("water.account_no.format (1 row(s), first at ", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, await CountAsync("reading_date = DATE '2026-07-01'"));

        await using var status = fixture.Platform.DataSource.CreateCommand("SELECT status FROM datahub.ingest_run WHERE pipeline = 'strict_water' ORDER BY id");
        await using var reader = await status.ExecuteReaderAsync();
        var statuses = new List<string>();
        while (await reader.ReadAsync())
        {
            statuses.Add(reader.GetString(0));
        }

        Assert.Equal(["failed", "failed"], statuses);
    }

    [Fact]
    public async Task The_same_pipeline_never_runs_twice_at_once()
    {
        await using var holder = await fixture.Platform.DataSource.OpenConnectionAsync();
        await using (var take = new Npgsql.NpgsqlCommand("SELECT pg_advisory_lock(hashtextextended('datahub.pipeline:busy_water', 0))", holder))
        {
            await take.ExecuteNonQueryAsync();
        }

        var error = await Assert.ThrowsAsync<PipelineBusyException>(() =>
            Ingestor().RunAsync(Pipeline("busy_water", "busy-water"), Dataset("water.meter_reading_daily"), fixture.Platform.Settings.Root, new IngestOptions()));
        Assert.Contains("already running", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_lists_every_bad_definition_with_file_line_and_field()
    {
        var folder = Directory.CreateTempSubdirectory("datahub-pipelines-bad-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(folder, "a.yaml"), """
                name: bad_a
                department: water
                target: water.meter_reading_daily
                schedule: "every day"
                source:
                  path: samples/water
                  encoding: latin-1
                  colour: blue
                write:
                  mode: merge
                """);
            await File.WriteAllTextAsync(Path.Combine(folder, "b.yaml"), """
                name: bad_b
                department: nobody
                target: water.meter_reading_daily
                source:
                  inbox: water
                mapping:
                  户号: no_such_column
                quality_gate:
                  reject: [no.such.rule]
                """);
            await File.WriteAllTextAsync(Path.Combine(folder, "c.yaml"), """
                name: good_c
                department: water
                target: water.meter_reading_daily
                source:
                  inbox: water
                """);
            var (code, output) = await CliAsync("pipeline", "validate", folder);
            Assert.Equal(1, code);
            var a = Path.Combine(folder, "a.yaml");
            var b = Path.Combine(folder, "b.yaml");
            Assert.Contains($"{a}:4: field 'schedule': 'every day' is not a Quartz cron expression", output, StringComparison.Ordinal);
            Assert.Contains($"{a}:7: field 'source.encoding': 'latin-1' is not auto, utf-8, utf-8-bom, gbk or gb18030", output, StringComparison.Ordinal);
            Assert.Contains($"{a}:8: field 'source.colour': is not a pipeline setting", output, StringComparison.Ordinal);
            Assert.Contains($"{a}:10: field 'write.key': is required to merge", output, StringComparison.Ordinal);
            Assert.Contains($"{b}:2: field 'department': 'nobody' is not a department", output, StringComparison.Ordinal);
            Assert.Contains($"{b}:7: field 'mapping.户号': maps to 'no_such_column', which is not a column of water.meter_reading_daily", output, StringComparison.Ordinal);
            Assert.Contains($"{b}:9: field 'quality_gate.reject': rule 'no.such.rule' is not a rule of catalog/rules", output, StringComparison.Ordinal);
            Assert.Contains("ok       good_c", output, StringComparison.Ordinal);
            Assert.Contains("1 valid, 7 problem(s)", output, StringComparison.Ordinal);

            (code, output) = await CliAsync("pipeline", "validate");
            Assert.True(code == 0, output);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task A_run_killed_at_any_moment_leaves_nothing_visible_and_the_next_run_ingests_its_input_once()
    {
        // A root with the real catalog and one pipeline reading an inbox; the child processes share this platform's
        // PostgreSQL and home, as a second DataHub process on the same deployment would.
        var root = Directory.CreateTempSubdirectory("datahub-crash-root-").FullName;
        try
        {
            Directory.CreateSymbolicLink(Path.Combine(root, "catalog"), Path.Combine(fixture.Platform.Settings.Root, "catalog"));
            Directory.CreateDirectory(Path.Combine(root, "pipelines"));
            await File.WriteAllTextAsync(Path.Combine(root, "pipelines", "crash_water.yaml"), """
                name: crash_water
                department: water
                target: water.meter_reading_daily
                source:
                  inbox: crash-water
                write:
                  mode: append
                """);
            var inbox = Path.Combine(fixture.Home, "inbox", "crash-water");
            Directory.CreateDirectory(inbox);
            const int rows = 300_000;
            await File.WriteAllTextAsync(Path.Combine(inbox, "big.csv"), Rows(1_000_000, rows, "2026-06-01"));
            const string mine = "reading_date = DATE '2026-06-01'";
            var before = await CountAsync(mine);

            var kills = 0;
            foreach (var delayMs in new[] { 0, 150, 400, 800, 1500 })
            {
                var (process, started) = StartChild(root, "pipeline", "run", "crash_water");
                // Wait for the run to be under way (progress reported, or a run registered), then kill -9 after a delay.
                await Task.WhenAny(started.Task, process.WaitForExitAsync());
                await Task.Delay(delayMs);
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                    kills++;
                }

                await process.WaitForExitAsync();
                var visible = await CountAsync(mine);
                Assert.True(visible == before || visible == before + rows, $"after a kill at +{delayMs} ms a reader sees {visible - before} of {rows} rows");
                if (visible == before + rows)
                {
                    break;
                }
            }

            Assert.True(kills > 0, "no run was killed while it ran");

            var (finish, _) = StartChild(root, "pipeline", "run", "crash_water");
            await finish.WaitForExitAsync();
            Assert.Equal(0, finish.ExitCode);
            Assert.Equal(before + rows, await CountAsync(mine));

            await using var command = fixture.Platform.DataSource.CreateCommand(
                "SELECT (SELECT count(*) FROM datahub.pipeline_input WHERE pipeline = 'crash_water'), (SELECT count(*) FROM datahub.ingest_run WHERE pipeline = 'crash_water' AND status = 'succeeded' AND rows_read > 0), (SELECT count(*) FROM datahub.ingest_run WHERE pipeline = 'crash_water' AND status = 'running')");
            await using var reader = await command.ExecuteReaderAsync();
            await reader.ReadAsync();
            Assert.Equal((1L, 1L, 0L), (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2)));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private (Process Process, TaskCompletionSource Started) StartChild(string root, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "datahub.dll"));
        foreach (var arg in args.Concat(["--home", fixture.Home]))
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["DATAHUB_ROOT"] = root;
        start.Environment["DATAHUB_PG"] = fixture.Platform.DataSource.ConnectionString;
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = Process.Start(start)!;
        _ = Task.Run(async () =>
        {
            var buffer = new char[256];
            while (await process.StandardOutput.ReadAsync(buffer) > 0)
            {
                started.TrySetResult();
            }
        });
        _ = process.StandardError.ReadToEndAsync();
        return (process, started);
    }

    private static string Rows(int first, int count, string date, string reading = "12.34")
    {
        var b = new StringBuilder(Header).Append('\n');
        for (var i = 0; i < count; i++)
        {
            b.Append(CultureInfo.InvariantCulture, $"WS{340100000 + first + i:D9},M{first + i},{date},{reading},0.50,合肥市蜀山区长江西路{i % 900 + 1}号,340104\n");
        }

        return b.ToString();
    }

    private static PipelineDefinition Pipeline(string name, string inbox) => new()
    {
        Name = name, Department = "water", Target = "water.meter_reading_daily",
        Write = new WriteDefinition { Key = ["account_no", "reading_date"] },
        Source = new SourceDefinition { Inbox = inbox }, SourceFile = $"{name}.yaml",
    };

    private DatasetDefinition Dataset(string name) => fixture.Platform.Definitions.GetDataset(name);

    private IReadOnlyList<DataHub.Quality.Rules.QualityRule> Gate(string dataset) =>
        DataHub.Quality.Service.RuleBinder.Bind(Dataset(dataset),
            DataHub.Quality.Definitions.RuleFileLoader.LoadDirectory(Path.Combine(fixture.Platform.Settings.Root, "catalog", "rules")), r => r, fixture.Platform.Definitions);

    private PipelineIngestor Ingestor() =>
        new(fixture.Platform.Catalog, fixture.Platform.DataSource, fixture.Platform.Tables, fixture.Home, NullLogger.Instance);

    private async Task<long> CountAsync(string where)
    {
        if (!await fixture.Platform.Tables.ExistsAsync("water.meter_reading_daily"))
        {
            return 0;
        }

        var scan = await fixture.Platform.Tables.ScanAsync("water.meter_reading_daily", LakeVersion.Current);
        using var duck = new DuckDbConnection("Data Source=:memory:");
        duck.Open();
        return Convert.ToInt64(new DuckDbCommand($"SELECT count(*) FROM ({scan.Sql}) t WHERE {where}", duck).ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    private async Task<(int Code, string Output)> CliAsync(params string[] args)
    {
        using var writer = new StringWriter();
        var code = await DataHubCli.RunAsync([.. args, "--home", fixture.Home, "--pg", fixture.Platform.DataSource.ConnectionString!, .. (_root is null ? Array.Empty<string>() : ["--root", _root])], writer, CancellationToken.None);
        return (code, writer.ToString());
    }
}
