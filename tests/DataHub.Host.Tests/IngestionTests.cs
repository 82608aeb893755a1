using System.Text;
using DataHub.Catalog;
using DataHub.Pipelines.Definitions;
using DataHub.Pipelines.Ingest;
using Microsoft.Extensions.Logging.Abstractions;

namespace DataHub.Host.Tests;

public sealed class IngestionTests(PlatformFixture fixture) : IClassFixture<PlatformFixture>, IDisposable
{
    private const string Header = "户号,表号,抄表日期,读数,用量,地址,所属区县";
    private readonly string _source = Directory.CreateTempSubdirectory("datahub-source-").FullName;

    public void Dispose() => Directory.Delete(_source, recursive: true);

    [Fact]
    public async Task A_file_missing_a_mapped_header_fails_the_run_naming_file_and_header()
    {
        await File.WriteAllTextAsync(Path.Combine(_source, "a.csv"), "户号,表号,读数\nW1,M1,1.0\n");
        var error = await Assert.ThrowsAsync<IngestException>(() => Run());
        Assert.Contains("a.csv:1:", error.Message, StringComparison.Ordinal);
        Assert.Contains("'抄表日期' (reading_date)", error.Message, StringComparison.Ordinal);

        var runs = await LatestRunAsync();
        Assert.Equal(IngestRunStatus.Failed, runs.Status);
        Assert.Contains("抄表日期", runs.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Line_numbers_count_physical_lines_across_quoted_newlines_and_blank_lines()
    {
        var text = new StringBuilder()
            .Append(Header).Append('\n')                                         // line 1
            .Append("W1,M1,2026-10-01,1.00,0.10,\"多行\n地址\",340102\n")          // lines 2-3
            .Append('\n')                                                        // line 4 (blank)
            .Append("W2,M2,2026-10-01,abc,0.10,地址,340102\n")                    // line 5: bad reading
            .Append("W3,M3,2026-10-01,1.00,0.10,地址\n")                          // line 6: too few fields
            .Append("W4,M4,20261001,1.00,0.10,地址,340103\n");                    // line 7: compact date is fine
        await File.WriteAllTextAsync(Path.Combine(_source, "b.csv"), text.ToString());
        var report = await Run();

        Assert.Equal(4, report.RowsRead);
        Assert.Equal(2, report.RowsCommitted);
        Assert.Equal(2, report.RowsQuarantined);
        var bad = Assert.Single(report.Rejections, r => r.Line == 5);
        Assert.Equal("reading_m3", bad.Field);
        Assert.Contains("'abc'", bad.Reason, StringComparison.Ordinal);
        var short_ = Assert.Single(report.Rejections, r => r.Line == 6);
        Assert.Contains("too few fields", short_.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_with_only_a_header_commits_nothing_and_succeeds()
    {
        await File.WriteAllTextAsync(Path.Combine(_source, "c.csv"), Header + "\r\n");
        var report = await Run();
        Assert.Equal(0, report.RowsRead);
        Assert.Null(report.DataFile);
        Assert.Null(report.QuarantineFile);
        Assert.Equal(IngestRunStatus.Succeeded, (await LatestRunAsync()).Status);
    }

    [Fact]
    public async Task A_failed_run_emits_start_and_fail_events_and_records_no_column_lineage()
    {
        await File.WriteAllTextAsync(Path.Combine(_source, "d.csv"), "户号,表号,读数\nW1,M1,1.0\n");
        var error = await Assert.ThrowsAsync<IngestException>(() =>
            Ingestor(fixture.Platform.Lineage).RunAsync(Pipeline(_source) with { Name = "test_water_fail" }, Dataset, _source));

        await using var command = fixture.Platform.DataSource.CreateCommand(
            "SELECT run_id FROM datahub.lineage_run WHERE job_name = 'test_water_fail' ORDER BY started_at DESC LIMIT 1");
        var runId = (Guid)(await command.ExecuteScalarAsync())!;
        var events = await fixture.Platform.Lineage.Store.GetEventsAsync(runId);
        Assert.Equal(["START", "FAIL"], events.Select(e => (string?)e["eventType"]));
        Assert.All(events, e => Assert.Empty(DataHub.Catalog.Tests.Lineage.Schema.OpenLineageSchemas.Validate(e)));
        Assert.Equal(error.Message, (string?)events[1]["run"]!["facets"]!["errorMessage"]!["message"]);
        Assert.Null(await fixture.Platform.Lineage.Store.GetGraphAsync(DataHub.Catalog.Lineage.LineageDatasetName.ForFile(Path.GetRelativePath(_source, Path.Combine(_source, "d.csv"))), DataHub.Catalog.Lineage.LineageDirection.Down, 1));
    }

    [Fact]
    public async Task A_missing_source_folder_is_named()
    {
        var pipeline = Pipeline(Path.Combine(_source, "nope"));
        var error = await Assert.ThrowsAsync<IngestException>(() => Ingestor().RunAsync(pipeline, Dataset, _source));
        Assert.Contains("nope", error.Message, StringComparison.Ordinal);
        Assert.Contains("does not exist", error.Message, StringComparison.Ordinal);
    }

    private static DatasetDefinition Dataset => CatalogDefinitions.Load(Path.Combine(DataHub.Host.Platform.DataHubSettings.FindRoot(), "catalog")).GetDataset("water.meter_reading_daily");

    private PipelineIngestor Ingestor(DataHub.Catalog.Lineage.LineageEmitter? lineage = null) =>
        new(fixture.Platform.Catalog, fixture.Platform.DataSource, fixture.Platform.Tables, fixture.Home, NullLogger.Instance, lineage);

    private static PipelineDefinition Pipeline(string path) => new()
    {
        Name = "test_water", Department = "water", Target = "water.meter_reading_daily",
        Write = new WriteDefinition { Key = ["account_no", "reading_date"] },
        Source = new SourceDefinition { Path = path }, SourceFile = "test.yaml",
    };

    private Task<IngestReport> Run() => Ingestor().RunAsync(Pipeline(_source), Dataset, _source);

    private async Task<IngestRun> LatestRunAsync()
    {
        await using var command = fixture.Platform.DataSource.CreateCommand("SELECT max(id) FROM datahub.ingest_run");
        var id = (long)(await command.ExecuteScalarAsync())!;
        return (await fixture.Platform.Catalog.GetIngestRunAsync(id))!;
    }
}

public sealed class QualityGateTests(PlatformFixture fixture) : IClassFixture<PlatformFixture>, IDisposable
{
    private readonly string _source = Directory.CreateTempSubdirectory("datahub-gate-").FullName;

    public void Dispose() => Directory.Delete(_source, recursive: true);

    [Fact]
    public async Task Rows_breaking_a_fail_rule_are_quarantined_with_the_rule_and_warn_rules_let_rows_pass()
    {
        await File.WriteAllTextAsync(Path.Combine(_source, "gate.csv"), """
            户号,表号,抄表日期,读数,用量,地址,所属区县
            WS340100001,M1,2026-10-01,1.00,0.50,合肥市蜀山区长江西路1号,340104
            XX1,M2,2026-10-01,1.00,0.50,合肥市蜀山区长江西路2号,340104
            WS340100003,M3,2026-10-01,1.00,99.00,合肥市蜀山区长江西路3号,999999
            WS340100004,M4,2026-10-01,,0.50,短,340104
            """);
        var catalog = fixture.Platform.Definitions;
        var dataset = catalog.GetDataset("water.meter_reading_daily");
        var rules = DataHub.Quality.Definitions.RuleFileLoader.LoadDirectory(Path.Combine(DataHub.Host.Platform.DataHubSettings.FindRoot(), "catalog", "rules"));
        var gate = DataHub.Quality.Service.RuleBinder.Bind(dataset, rules, r => r, catalog);
        var pipeline = new PipelineDefinition
        {
            Name = "gate_water", Department = "water", Target = dataset.Name, Write = new WriteDefinition { Key = ["account_no", "reading_date"] },
            Source = new SourceDefinition { Path = _source }, SourceFile = "gate.yaml", Gate = new QualityGateDefinition { Enabled = true },
        };
        var ingestor = new PipelineIngestor(fixture.Platform.Catalog, fixture.Platform.DataSource, fixture.Platform.Tables, fixture.Home, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);

        var report = await ingestor.RunAsync(pipeline, dataset, _source, new IngestOptions { Gate = gate });

        Assert.Equal(4, report.RowsRead);
        Assert.Equal(2, report.RowsCommitted);   // line 2, and line 5 (NULL reading and short address only break warn rules)
        Assert.Equal(2, report.RowsQuarantined);
        var format = Assert.Single(report.Rejections, r => r.Line == 3);
        Assert.Equal("quality", format.Field);
        Assert.Contains("water.account_no.format", format.Reason, StringComparison.Ordinal);
        var two = Assert.Single(report.Rejections, r => r.Line == 4);
        Assert.Contains("water.usage.range", two.Reason, StringComparison.Ordinal);
        Assert.Contains("element.division_code.in_code_set@district_code", two.Reason, StringComparison.Ordinal);
    }
}
