using System.Globalization;
using System.Text;
using DataHub.DuckDb;
using DataHub.Lake.Tables;
using DataHub.Pipelines.Definitions;
using DataHub.Pipelines.Ingest;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace DataHub.Host.Tests;

/// <summary>Each source kind end to end into the lake: NDJSON files, a departmental PostgreSQL database by watermark, a paged HTTP endpoint.</summary>
public sealed class PipelineSourceTests(PlatformFixture fixture) : IClassFixture<PlatformFixture>
{
    [Fact]
    public async Task An_ndjson_drop_is_ingested_and_its_malformed_line_quarantined_with_nothing_lost()
    {
        var inbox = Path.Combine(fixture.Home, "inbox", "water-json");
        Directory.CreateDirectory(inbox);
        await File.WriteAllTextAsync(Path.Combine(inbox, "readings.ndjson"), """
            {"户号": "WS340100901", "表号": "M9", "抄表日期": "2026-05-01", "读数": 10.5, "用量": 0.5, "地址": "合肥市蜀山区长江西路9号", "所属区县": "340104"}
            {"户号": "WS340100902", "表号": "M9", "抄表日期": "2026-05-01", "读数": "abc", "用量": 0.5, "地址": "合肥市蜀山区长江西路9号", "所属区县": "340104"}
            {"户号": "WS340100903", "表号": "M9", "抄表日期": "2026-05-01", 读数: 1}
            {"户号": "WS340100904", "表号": "M9", "抄表日期": "2026-05-01", "读数": 11, "用量": 0.5, "地址": "合肥市蜀山区长江西路9号", "所属区县": "340104", "备注": "extra"}
            """);
        var pipeline = new PipelineDefinition
        {
            Name = "water_json", Department = "water", Target = "water.meter_reading_daily", SourceFile = "water_json.yaml",
            Source = new SourceDefinition { Inbox = "water-json", Pattern = "*.ndjson", Format = "ndjson" },
            Write = new WriteDefinition { Key = ["account_no", "reading_date"] },
        };
        var report = await Ingestor().RunAsync(pipeline, fixture.Platform.Definitions.GetDataset(pipeline.Target), fixture.Platform.Settings.Root, new IngestOptions());
        Assert.Equal((4L, 2L, 2L), (report.RowsRead, report.RowsCommitted, report.RowsQuarantined));
        Assert.Contains(report.Rejections, r => r.Line == 2 && r.Field == "reading_m3");
        Assert.Contains(report.Rejections, r => r.Line == 3 && r.Field is null);
        Assert.Equal(2, await CountAsync("reading_date = DATE '2026-05-01'"));
    }

    [Fact]
    public async Task A_departmental_database_is_read_incrementally_by_its_watermark()
    {
        await using (var admin = fixture.Platform.DataSource.CreateCommand("CREATE DATABASE dept_water"))
        {
            await admin.ExecuteNonQueryAsync();
        }

        var builder = new NpgsqlConnectionStringBuilder(fixture.Platform.DataSource.ConnectionString) { Database = "dept_water" };
        await using var department = NpgsqlDataSource.Create(builder.ConnectionString);
        await Exec(department, """
            CREATE TABLE readings (户号 text, 表号 text, 抄表日期 date, 读数 numeric(12,2), 用量 numeric(12,2), 地址 text, 所属区县 text, updated_at timestamptz);
            INSERT INTO readings SELECT 'WS' || (340101000 + i), 'M' || i, DATE '2026-04-01', 100 + i, 1.5, '合肥市庐阳区' || i || '号', '340103', TIMESTAMPTZ '2026-04-02 08:00:00+08' + i * interval '1 minute'
            FROM generate_series(1, 30) i;
            """);
        var pipeline = new PipelineDefinition
        {
            Name = "water_db", Department = "water", Target = "water.meter_reading_daily", SourceFile = "water_db.yaml",
            Source = new SourceDefinition { Kind = SourceKind.Postgres, Connection = builder.ConnectionString, Table = "public.readings", Watermark = "updated_at" },
            Write = new WriteDefinition { Mode = WriteMode.Merge, Key = ["account_no", "reading_date"] },
        };
        var dataset = fixture.Platform.Definitions.GetDataset(pipeline.Target);
        var first = await Ingestor().RunAsync(pipeline, dataset, fixture.Platform.Settings.Root, new IngestOptions());
        Assert.Equal((30L, 30L), (first.RowsRead, first.RowsCommitted));

        // The department adds 5 rows and corrects one: the next run reads those 6 only.
        await Exec(department, """
            INSERT INTO readings SELECT 'WS' || (340101000 + i), 'M' || i, DATE '2026-04-01', 100 + i, 1.5, '合肥市庐阳区' || i || '号', '340103', TIMESTAMPTZ '2026-04-03 08:00:00+08' + i * interval '1 minute'
            FROM generate_series(31, 35) i;
            UPDATE readings SET 读数 = 999, updated_at = TIMESTAMPTZ '2026-04-04 08:00:00+08' WHERE 户号 = 'WS340101001';
            """);
        var second = await Ingestor().RunAsync(pipeline, dataset, fixture.Platform.Settings.Root, new IngestOptions());
        Assert.Equal(6, second.RowsRead);
        var third = await Ingestor().RunAsync(pipeline, dataset, fixture.Platform.Settings.Root, new IngestOptions());
        Assert.Equal(0, third.RowsRead);
        Assert.Equal(35, await CountAsync("reading_date = DATE '2026-04-01'"));
        Assert.Equal(1, await CountAsync("account_no = 'WS340101001' AND reading_m3 = 999"));

        await using var state = fixture.Platform.DataSource.CreateCommand("SELECT watermark FROM datahub.pipeline_state WHERE pipeline = 'water_db'");
        Assert.StartsWith("2026-04-04", (string)(await state.ExecuteScalarAsync())!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_paged_http_endpoint_is_read_page_by_page_with_its_cursor()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        await using var app = builder.Build();
        var served = Enumerable.Range(1, 25).Select(i => new Dictionary<string, object>
        {
            ["户号"] = $"WS{340102000 + i}", ["表号"] = $"M{i}", ["抄表日期"] = "2026-03-01", ["读数"] = 50 + i, ["用量"] = 0.8, ["地址"] = $"合肥市包河区{i}号", ["所属区县"] = "340111",
        }).ToList();
        app.MapGet("/readings", (HttpContext context) =>
        {
            var after = int.TryParse(context.Request.Query["cursor"], CultureInfo.InvariantCulture, out var a) ? a : 0;
            var page = served.Skip(after).Take(10).ToList();
            return Results.Json(new { items = page, next = after + page.Count < served.Count ? (after + page.Count).ToString(CultureInfo.InvariantCulture) : null });
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

        var pipeline = new PipelineDefinition
        {
            Name = "water_http", Department = "water", Target = "water.meter_reading_daily", SourceFile = "water_http.yaml",
            Source = new SourceDefinition { Kind = SourceKind.Http, Url = address + "/readings", Records = "items", Cursor = "next", CursorParam = "cursor" },
            Write = new WriteDefinition { Key = ["account_no", "reading_date"] },
        };
        var report = await Ingestor().RunAsync(pipeline, fixture.Platform.Definitions.GetDataset(pipeline.Target), fixture.Platform.Settings.Root, new IngestOptions());
        Assert.Equal((25L, 25L, 0L), (report.RowsRead, report.RowsCommitted, report.RowsQuarantined));
        Assert.Equal(25, await CountAsync("reading_date = DATE '2026-03-01' AND district_code = '340111'"));
        await app.StopAsync();
    }

    private PipelineIngestor Ingestor() =>
        new(fixture.Platform.Catalog, fixture.Platform.DataSource, fixture.Platform.Tables, fixture.Home, NullLogger.Instance);

    private static async Task Exec(NpgsqlDataSource source, string sql)
    {
        await using var command = source.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    private async Task<long> CountAsync(string where)
    {
        var scan = await fixture.Platform.Tables.ScanAsync("water.meter_reading_daily", LakeVersion.Current);
        using var duck = new DuckDbConnection("Data Source=:memory:");
        duck.Open();
        return Convert.ToInt64(new DuckDbCommand($"SELECT count(*) FROM ({scan.Sql}) t WHERE {where}", duck).ExecuteScalar(), CultureInfo.InvariantCulture);
    }
}
