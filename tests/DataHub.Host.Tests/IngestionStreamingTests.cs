using System.Text;
using DataHub.Catalog;
using DataHub.DuckDb;
using DataHub.Lake;
using DataHub.Pipelines.Definitions;
using DataHub.Pipelines.Ingest;
using Microsoft.Extensions.Logging.Abstractions;

namespace DataHub.Host.Tests;

/// <summary>
/// The streaming pass of an append (parse, type, gate and write in one query) against the staged path on the same dirty
/// inputs: the same rows committed, the same rows quarantined with the same file, line, field, reason, rules and
/// original values.
/// </summary>
public sealed class IngestionStreamingTests(PlatformFixture fixture) : IClassFixture<PlatformFixture>, IDisposable
{
    private readonly string _source = Directory.CreateTempSubdirectory("datahub-streaming-").FullName;

    public void Dispose() => Directory.Delete(_source, recursive: true);

    [Fact]
    public async Task The_streaming_pass_and_the_staged_path_commit_and_quarantine_the_same_rows_for_the_same_reasons()
    {
        var samples = Path.Combine(DataHub.Host.Platform.DataHubSettings.FindRoot(), "samples", "water");
        foreach (var sample in Directory.EnumerateFiles(samples, "*.csv"))
        {
            File.Copy(sample, Path.Combine(_source, Path.GetFileName(sample)));
        }

        // Dirt beyond the samples': quoted newlines, blank lines, CRLF, spaces, other date spellings, too few and too
        // many fields, several bad fields in one row, an unmapped column, rows breaking gate rules.
        var text = new StringBuilder()
            .Append("户号,表号,抄表日期,读数,用量,地址,所属区县,备注\r\n")
            .Append("WS340100001,M1,2026-10-01,1.00,0.10,\"多行\n地址很长的一个地址\",340102,\r\n")
            .Append("\r\n")
            .Append("WS340100002,M2,2026/10/01, 2.50 ,0.20,  合肥市蜀山区长江西路2号  ,340104,备注\r\n")
            .Append("WS340100003,M3,20261001,abc,xyz,合肥市蜀山区长江西路3号,340104,\r\n")
            .Append("WS340100004,M4,2026-02-30,1.00,0.10,合肥市蜀山区长江西路4号,340104,\r\n")
            .Append("WS340100005,M5,2026-10-01,1.00,0.10,合肥市蜀山区长江西路5号\r\n")
            .Append("WS340100006,M6,2026-10-01,1.00,0.10,合肥市蜀山区长江西路6号,340104,x,y\r\n")
            .Append("XX7,M7,2026-10-01,1.00,0.10,合肥市蜀山区长江西路7号,340104,\r\n")
            .Append("WS340100008,M8,2026-10-01,1.00,99.00,合肥市蜀山区长江西路8号,999999,\r\n")
            .Append(",M9,2026-10-01,1.00,0.10,合肥市蜀山区长江西路9号,340104,\r\n")
            .Append("WS340100010,M10,2026-10-01,,-1.00,短,340104,\r\n")
            .Append("  无 ,M12,2026-10-01,1.00,0.10,合肥市蜀山区长江西路12号,340104,\r\n")
            .Append("N/A,M13,2026-10-01,1.00,0.10,合肥市蜀山区长江西路13号,340104,\r\n")
            .Append("WS340100011,M11,2026-10-01,1.00,0.10,\"合肥市\"\"引号\"\"路11号\",340104,");
        await File.WriteAllTextAsync(Path.Combine(_source, "tricky.csv"), text.ToString());

        var dataset = fixture.Platform.Definitions.GetDataset("water.meter_reading_daily");
        var rules = DataHub.Quality.Definitions.RuleFileLoader.LoadDirectory(Path.Combine(DataHub.Host.Platform.DataHubSettings.FindRoot(), "catalog", "rules"));
        var gate = DataHub.Quality.Service.RuleBinder.Bind(dataset, rules, r => r, fixture.Platform.Definitions);
        var ingestor = new PipelineIngestor(fixture.Platform.Catalog, fixture.Platform.DataSource, fixture.Platform.Tables, fixture.Home, NullLogger.Instance);
        PipelineDefinition Pipeline(string name) => new()
        {
            Name = name, Department = "water", Target = dataset.Name, Write = new WriteDefinition { Key = ["account_no", "reading_date"] },
            Source = new SourceDefinition { Path = _source }, SourceFile = name + ".yaml", Gate = new QualityGateDefinition { Enabled = true },
        };

        var staged = await ingestor.RunAsync(Pipeline("equal_staged"), dataset, _source, new IngestOptions { Gate = gate, Streaming = false });
        var streamed = await ingestor.RunAsync(Pipeline("equal_streamed"), dataset, _source, new IngestOptions { Gate = gate });

        Assert.Equal(staged.RowsRead, streamed.RowsRead);
        Assert.Equal(staged.RowsCommitted, streamed.RowsCommitted);
        Assert.Equal(staged.RowsQuarantined, streamed.RowsQuarantined);
        Assert.Equal(staged.RowsRead, streamed.RowsCommitted + streamed.RowsQuarantined);
        Assert.True(streamed.RowsQuarantined >= 12, $"the dirty rows are quarantined ({streamed.RowsQuarantined})");
        Assert.Equal(staged.Rejections, streamed.Rejections);
        Assert.Equal(staged.Checks, streamed.Checks);
        Assert.Contains(streamed.Rejections, r => r.SourceFile.EndsWith("tricky.csv", StringComparison.Ordinal) && r.Line == 6 && r.Field == "reading_m3, usage_m3");
        Assert.Contains(streamed.Rejections, r => r.SourceFile.EndsWith("tricky.csv", StringComparison.Ordinal) && r.Line == 10 && r.Field == "quality");
        Assert.Contains(streamed.Rejections, r => r.SourceFile.EndsWith("tricky.csv", StringComparison.Ordinal) && r.Line == 14 && r.Reason.Contains("water.account_no.not_null", StringComparison.Ordinal));

        using var duck = new DuckDbConnection();
        duck.Open();
        Assert.Equal(Rows(duck, $"SELECT * FROM read_parquet({LakeStorage.SqlLiteral(fixture.Platform.Lake.Resolve(staged.DataFile!))})"),
                     Rows(duck, $"SELECT * FROM read_parquet({LakeStorage.SqlLiteral(fixture.Platform.Lake.Resolve(streamed.DataFile!))})"));
        var quarantine = await fixture.Platform.Tables.ScanAsync(PipelineIngestor.QuarantineTable);
        string Quarantined(long run) => $"SELECT source_file, line, field, reason, rules, original FROM ({quarantine.Sql}) q WHERE run_id = {run}";
        var stagedRejected = Rows(duck, Quarantined(staged.RunId));
        Assert.Equal(staged.RowsQuarantined, stagedRejected.Count);
        Assert.Equal(stagedRejected, Rows(duck, Quarantined(streamed.RunId)));
    }

    /// <summary>Every row of a query as text, sorted, so that two results compare by value.</summary>
    private static List<string> Rows(DuckDbConnection duck, string sql)
    {
        using var command = new DuckDbCommand($"SELECT * FROM ({sql}) q", duck);
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
        {
            rows.Add(string.Join(" | ", Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "NULL" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture))));
        }

        rows.Sort(StringComparer.Ordinal);
        return rows;
    }
}
