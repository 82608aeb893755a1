using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DataHub.DuckDb;

namespace DataHub.Host.Tests;

public sealed partial class DemoSliceTests(DemoSliceFixture slice) : IClassFixture<DemoSliceFixture>
{
    private const string Dataset = "water.meter_reading_daily";

    [Fact]
    public void Every_input_row_is_committed_or_quarantined_and_the_counts_add_up()
    {
        var report = slice.Report;
        Assert.Equal(2, report.Files.Count);
        Assert.Equal(480, report.RowsRead);
        Assert.Equal(report.RowsRead, report.RowsCommitted + report.RowsQuarantined);
        Assert.Equal(4, report.RowsQuarantined);
        Assert.Equal(report.RowsQuarantined, report.Rejections.Count);
        Assert.Contains(report.Files, f => f.Encoding == "gb18030" && f.SourcePath.EndsWith("_gbk.csv", StringComparison.Ordinal));
        Assert.Contains(report.Files, f => f.Encoding == "utf-8");
    }

    [Fact]
    public void Malformed_rows_are_reported_with_file_line_and_reason()
    {
        var rejections = slice.Report.Rejections;
        var date = Assert.Single(rejections, r => r.Line == 19);
        Assert.Equal("samples/water/meter_readings_2026-10-01.csv", date.SourceFile);
        Assert.Equal("reading_date", date.Field);
        Assert.Contains("'2026-13-01' is not a valid DATE", date.Reason, StringComparison.Ordinal);
        Assert.Contains("抄表日期", date.Reason, StringComparison.Ordinal);

        var number = Assert.Single(rejections, r => r.Line == 90);
        Assert.Equal("usage_m3", number.Field);
        Assert.Contains("约1.2", number.Reason, StringComparison.Ordinal);

        Assert.Contains(rejections, r => r.Line == 152 && r.Reason.Contains("too many fields", StringComparison.Ordinal));
        Assert.Contains(rejections, r => r.Line == 122 && r.SourceFile.EndsWith("_gbk.csv", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_catalog_records_the_run_its_rejections_and_the_lake_file()
    {
        var run = await slice.Platform.Catalog.GetIngestRunAsync(slice.Report.RunId);
        Assert.NotNull(run);
        Assert.Equal(480, run.RowsRead);
        Assert.Equal(476, run.RowsCommitted);
        Assert.Equal(4, run.RowsQuarantined);
        var stored = await slice.Platform.Catalog.GetRejectionsAsync(slice.Report.RunId);
        Assert.Equal(slice.Report.Rejections.OrderBy(r => r.SourceFile).ThenBy(r => r.Line), stored.OrderBy(r => r.SourceFile).ThenBy(r => r.Line));

        var dataset = await slice.Platform.Catalog.GetDatasetAsync(Dataset);
        Assert.NotNull(dataset);
        var file = Assert.Single(dataset.Files);
        var path = slice.Platform.Lake.Resolve(file.Path);
        Assert.True(File.Exists(path));
        using var duck = new DuckDbConnection();
        duck.Open();
        using var command = duck.CreateCommand();
        command.CommandText = $"SELECT count(*), count(DISTINCT reading_date), min(reading_date) FROM read_parquet('{path}')";
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());
        Assert.Equal(476L, reader.GetInt64(0));
        Assert.Equal(2L, reader.GetInt64(1));
        Assert.Equal(new DateOnly(2026, 10, 1), reader.GetFieldValue<DateOnly>(2));
        Assert.Equal(file.RowCount, reader.GetInt64(0));
    }

    [Fact]
    public async Task The_quarantine_table_holds_the_rejected_rows_with_reasons_and_original_values()
    {
        Assert.NotNull(slice.Report.QuarantineSnapshotId);
        var scan = await slice.Platform.Tables.ScanAsync(DataHub.Pipelines.Ingest.PipelineIngestor.QuarantineTable, DataHub.Lake.Tables.LakeVersion.Snapshot(slice.Report.QuarantineSnapshotId!.Value));
        using var duck = new DuckDbConnection();
        duck.Open();
        using var command = duck.CreateCommand();
        command.CommandText = $"SELECT count(*), count(reason), count(original), count(DISTINCT source_file) FROM ({scan.Sql}) q WHERE run_id = {slice.Report.RunId}";
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());
        Assert.Equal(4L, reader.GetInt64(0));
        Assert.Equal(4L, reader.GetInt64(1));
        Assert.Equal(4L, reader.GetInt64(2));
        Assert.Equal(2L, reader.GetInt64(3));
    }

    [Fact]
    public async Task Pipelines_their_runs_and_a_run_now_are_served_over_http()
    {
        using (var list = JsonDocument.Parse(await slice.Http.GetStringAsync(new Uri("/api/v1/pipelines", UriKind.Relative))))
        {
            var water = list.RootElement.GetProperty("pipelines").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "water_meter_daily");
            Assert.Equal("0 30 2 * * ?", water.GetProperty("schedule").GetString());
            Assert.Equal("Asia/Shanghai", water.GetProperty("timeZone").GetString());
            Assert.Equal(slice.Report.RunId, water.GetProperty("lastRun").GetProperty("id").GetInt64());
            Assert.Equal("none", water.GetProperty("sla").GetString()); // water_meter_daily declares no SLA
            var gas = list.RootElement.GetProperty("pipelines").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "gas_monthly_usage");
            Assert.Contains(gas.GetProperty("sla").GetString(), new[] { "late", "not_due" }); // no gas delivery by the 2nd, 06:00 in this slice
            Assert.NotEqual(JsonValueKind.Null, gas.GetProperty("slaDeadline").ValueKind);
        }

        // Run now: the samples were ingested already (same content), so the run reads nothing and succeeds.
        using var response = await slice.Http.PostAsync(new Uri("/api/v1/pipelines/water_meter_daily/runs", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        using var created = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("succeeded", created.RootElement.GetProperty("status").GetString());
        Assert.Equal("api", created.RootElement.GetProperty("trigger").GetString());
        Assert.Equal(0, created.RootElement.GetProperty("rowsRead").GetInt64());

        using var runs = JsonDocument.Parse(await slice.Http.GetStringAsync(new Uri("/api/v1/pipelines/water_meter_daily/runs", UriKind.Relative)));
        var first = runs.RootElement.EnumerateArray().Single(r => r.GetProperty("id").GetInt64() == slice.Report.RunId);
        Assert.Equal((480, 476, 4), (first.GetProperty("rowsRead").GetInt64(), first.GetProperty("rowsCommitted").GetInt64(), first.GetProperty("rowsQuarantined").GetInt64()));
        Assert.Equal(HttpStatusCode.NotFound, (await slice.Http.PostAsync(new Uri("/api/v1/pipelines/nope/runs", UriKind.Relative), null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await slice.Http.GetAsync(new Uri("/api/v1/pipelines/runs/999999", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task Health_answers_ok_over_http()
    {
        using var response = await slice.Http.GetAsync(new Uri("/health", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("ok", json.RootElement.GetProperty("status").GetString());
        Assert.Equal("ok", json.RootElement.GetProperty("postgres").GetString());
        Assert.StartsWith("v1.5", json.RootElement.GetProperty("duckDb").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_dataset_list_shows_the_water_dataset_with_its_rows()
    {
        using var json = JsonDocument.Parse(await slice.Http.GetStringAsync(new Uri("/api/v1/datasets", UriKind.Relative)));
        var water = json.RootElement.EnumerateArray().Single(d => d.GetProperty("name").GetString() == Dataset);
        Assert.Equal(476, water.GetProperty("rowCount").GetInt64());
        Assert.Equal("市水务集团", water.GetProperty("providerName").GetString());
        Assert.Equal("conditional", water.GetProperty("shareType").GetString());
    }

    [Fact]
    public async Task The_preview_reads_rows_from_the_lake_parquet_including_the_gbk_file()
    {
        using var json = JsonDocument.Parse(await slice.Http.GetStringAsync(new Uri($"/api/v1/datasets/{Dataset}/preview?limit=1000", UriKind.Relative)));
        var root = json.RootElement;
        var columns = root.GetProperty("columns").EnumerateArray().Select(c => c.GetProperty("name").GetString()).ToList();
        Assert.Equal(["account_no", "meter_no", "reading_date", "reading_m3", "usage_m3", "address", "district_code"], columns);
        var rows = root.GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal(476, rows.Count);
        Assert.Equal(476, root.GetProperty("totalRows").GetInt64());
        var fromGbk = rows.Where(r => r[2].GetString() == "2026-10-02").ToList();
        Assert.Equal(239, fromGbk.Count);
        Assert.All(fromGbk, r => Assert.StartsWith("合肥市", r[5].GetString(), StringComparison.Ordinal));
        Assert.Contains(rows, r => r[3].ValueKind == JsonValueKind.Null);
        Assert.Contains(rows, r => r[5].GetString()!.Contains(',', StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_preview_limit_is_honoured()
    {
        var preview = await slice.Http.GetFromJsonAsync<JsonElement>(new Uri($"/api/v1/datasets/{Dataset}/preview?limit=5", UriKind.Relative));
        Assert.Equal(5, preview.GetProperty("rows").GetArrayLength());
    }

    [Theory]
    [InlineData("/api/v1/datasets/water.meter_reading_daily/preview?limit=0", HttpStatusCode.BadRequest)]
    [InlineData("/api/v1/datasets/water.meter_reading_daily/preview?limit=100000", HttpStatusCode.BadRequest)]
    [InlineData("/api/v1/datasets/no.such_table/preview", HttpStatusCode.NotFound)]
    [InlineData("/api/v1/datasets/..%2F..%2Fetc%2Fpasswd/preview", HttpStatusCode.BadRequest)]
    [InlineData("/api/v1/datasets/water.x';DROP TABLE t;--/preview", HttpStatusCode.BadRequest)]
    public async Task Bad_preview_requests_get_problem_details(string url, HttpStatusCode expected)
    {
        using var response = await slice.Http.GetAsync(new Uri(url, UriKind.Relative));
        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task The_openapi_document_describes_the_endpoints()
    {
        using var json = JsonDocument.Parse(await slice.Http.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative)));
        var paths = json.RootElement.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/health", out _));
        Assert.True(paths.TryGetProperty("/api/v1/datasets", out _) || paths.TryGetProperty("/api/v1/datasets/", out _));
        Assert.True(paths.TryGetProperty("/api/v1/datasets/{name}/preview", out _));
    }
}

public sealed class SchedulerTests(DemoSliceFixture slice) : IClassFixture<DemoSliceFixture>
{
    [Fact]
    public async Task Each_scheduled_pipeline_gets_a_cron_trigger_in_the_running_scheduler()
    {
        var factory = (Quartz.ISchedulerFactory)slice.Server.Services.GetService(typeof(Quartz.ISchedulerFactory))!;
        var scheduler = await factory.GetScheduler(CancellationToken.None);
        var trigger = await scheduler.GetTrigger(new Quartz.TriggerKey("water_meter_daily-cron", "pipelines"), CancellationToken.None);
        Assert.NotNull(trigger);
        var next = trigger.NextFireTimeUtc;
        Assert.NotNull(next);
        var local = TimeZoneInfo.ConvertTime(next.Value, TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai"));
        Assert.Equal((2, 30, 0), (local.Hour, local.Minute, local.Second));
        var job = await scheduler.GetJobDetail(new Quartz.JobKey("water_meter_daily", "pipelines"), CancellationToken.None);
        Assert.NotNull(job);
        Assert.Equal("water_meter_daily", Quartz.DataMapExtensions.GetString(job.JobDataMap, DataHub.Host.Scheduling.PipelineJob.PipelineKey));
    }
}

public sealed class QualityApiTests(DemoSliceFixture slice) : IClassFixture<DemoSliceFixture>
{
    [Fact]
    public async Task A_quality_run_over_http_is_stored_and_listed_with_its_rules()
    {
        using var created = await slice.Http.PostAsync(new Uri("/api/v1/quality/water.meter_reading_daily/runs", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using var run = JsonDocument.Parse(await created.Content.ReadAsStringAsync());
        var id = run.RootElement.GetProperty("run").GetProperty("id").GetInt64();
        Assert.Equal(476, run.RootElement.GetProperty("run").GetProperty("rowsScanned").GetInt64());
        var rules = run.RootElement.GetProperty("rules").EnumerateArray().ToList();
        var reading = rules.Single(r => r.GetProperty("ruleId").GetString() == "water.reading.not_null");
        Assert.Equal((476, 1), (reading.GetProperty("checked").GetInt64(), reading.GetProperty("failed").GetInt64()));
        Assert.Equal("pass", reading.GetProperty("outcome").GetString());
        Assert.Single(reading.GetProperty("samples").EnumerateArray());
        var division = rules.Single(r => r.GetProperty("ruleId").GetString() == "element.division_code.in_code_set@district_code");
        Assert.Equal("in_code_set", division.GetProperty("kind").GetString());

        using var history = JsonDocument.Parse(await slice.Http.GetStringAsync(new Uri("/api/v1/quality/water.meter_reading_daily/runs", UriKind.Relative)));
        Assert.Contains(history.RootElement.EnumerateArray(), r => r.GetProperty("id").GetInt64() == id);
        using var again = JsonDocument.Parse(await slice.Http.GetStringAsync(new Uri($"/api/v1/quality/runs/{id}", UriKind.Relative)));
        Assert.Equal(rules.Count, again.RootElement.GetProperty("rules").GetArrayLength());

        // The run's answer (to the bureau_admin who ran it) holds the samples as stored; read back by any key they are masked.
        static List<string> Samples(JsonElement detail) => [.. detail.GetProperty("rules").EnumerateArray()
            .SelectMany(r => r.GetProperty("samples").EnumerateArray().Select(v => v.GetString()!))];
        var stored = Samples(run.RootElement);
        Assert.Contains(stored, v => v.Contains("account_no=WS3401", StringComparison.Ordinal));
        Assert.Equal(stored.Select(DataHub.Quality.Service.QualityService.Mask), Samples(again.RootElement));
        Assert.DoesNotContain("WS3401", again.RootElement.GetRawText(), StringComparison.Ordinal);

        using var unknown = await slice.Http.GetAsync(new Uri("/api/v1/quality/runs/999999", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        using var noDataset = await slice.Http.PostAsync(new Uri("/api/v1/quality/water.nothing/runs", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.NotFound, noDataset.StatusCode);
    }
}

public sealed class BulletinScheduleTests(DemoSliceFixture slice) : IClassFixture<DemoSliceFixture>
{
    [Fact]
    public async Task The_bulletin_job_fires_on_the_first_of_each_month()
    {
        var factory = (Quartz.ISchedulerFactory)slice.Server.Services.GetService(typeof(Quartz.ISchedulerFactory))!;
        var scheduler = await factory.GetScheduler(CancellationToken.None);
        var trigger = await scheduler.GetTrigger(new Quartz.TriggerKey("quality-bulletin-monthly", "quality"), CancellationToken.None);
        Assert.NotNull(trigger);
        var next = TimeZoneInfo.ConvertTime(trigger.NextFireTimeUtc!.Value, TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai"));
        Assert.Equal((1, 3, 0), (next.Day, next.Hour, next.Minute));
        Assert.NotNull(await scheduler.GetJobDetail(DataHub.Host.Scheduling.BulletinJob.Key, CancellationToken.None));

        // Fired now, the job publishes the bulletin of the month before.
        await scheduler.TriggerJob(DataHub.Host.Scheduling.BulletinJob.Key, null, CancellationToken.None);
        var lastMonth = DateTime.UtcNow.AddMonths(-1).ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
        var file = Path.Combine(slice.Home, "reports", lastMonth, "bulletin.html");
        var pdf = Path.Combine(slice.Home, "reports", lastMonth, "bulletin.pdf");
        for (var i = 0; i < 600 && !File.Exists(pdf); i++)
        {
            await Task.Delay(100);
        }

        Assert.True(File.Exists(file), $"{file} was not written by the job");
        LakeCliTests.AssertBulletinPdf(pdf, lastMonth);
    }
}

public sealed class EscalationScheduleTests(DemoSliceFixture slice) : IClassFixture<DemoSliceFixture>
{
    [Fact]
    public async Task Overdue_requests_are_escalated_by_the_daily_job()
    {
        var factory = (Quartz.ISchedulerFactory)slice.Server.Services.GetService(typeof(Quartz.ISchedulerFactory))!;
        var scheduler = await factory.GetScheduler(CancellationToken.None);
        var trigger = await scheduler.GetTrigger(new Quartz.TriggerKey("request-escalation-daily", "exchange"), CancellationToken.None);
        Assert.NotNull(trigger);
        var next = TimeZoneInfo.ConvertTime(trigger.NextFireTimeUtc!.Value, TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai"));
        Assert.Equal((0, 30), (next.Hour, next.Minute));

        var requester = new DataHub.Exchange.Requests.ExchangeActor("gas", "zhao.lei", new HashSet<string> { "requester" });
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var filed = await slice.Platform.Exchange.Requests.FileAsync(requester, new DataHub.Exchange.Requests.ExchangeRequestDraft(
            "water.meter_reading_daily", ["reading_date", "usage_m3"], [], "核查", "《合肥市公共数据管理办法》", "api", today, today.AddDays(30)),
            today.AddDays(-30), CancellationToken.None);
        Assert.Equal("filed", filed.Status);
        Assert.True(filed.DueDate < today);

        await scheduler.TriggerJob(DataHub.Host.Scheduling.EscalationJob.Key, null, CancellationToken.None);
        string? status = null;
        for (var i = 0; i < 100 && status != "escalated"; i++)
        {
            await Task.Delay(100);
            await using var read = slice.Platform.DataSource.CreateCommand("SELECT status FROM datahub.exchange_request WHERE id = @id");
            read.Parameters.AddWithValue("id", filed.RequestId);
            status = (string?)await read.ExecuteScalarAsync();
        }

        Assert.Equal("escalated", status);
        await using var audit = slice.Platform.DataSource.CreateCommand("SELECT count(*) FROM datahub.audit_log WHERE action = 'request.escalated' AND target = @target");
        audit.Parameters.AddWithValue("target", $"request:{filed.RequestId}");
        Assert.Equal(1L, await audit.ExecuteScalarAsync());
    }
}

public sealed class ApiPolicyTests(DemoSliceFixture slice) : IClassFixture<DemoSliceFixture>
{
    [Theory]
    [InlineData("GET", "/api/v1/datasets/water.meter_reading_daily/preview?limit=3", null, HttpStatusCode.Unauthorized)]
    [InlineData("GET", "/api/v1/datasets/water.meter_reading_daily/preview?limit=3", "gas:analyst", HttpStatusCode.Forbidden)]
    [InlineData("GET", "/api/v1/datasets/water.meter_reading_daily/preview?limit=3", "gas:approver", HttpStatusCode.Forbidden)]
    [InlineData("GET", "/api/v1/datasets/water.meter_reading_daily/preview?limit=3", "water:approver", HttpStatusCode.OK)]
    [InlineData("GET", "/api/v1/audit/verify", null, HttpStatusCode.Unauthorized)]
    [InlineData("GET", "/api/v1/audit/verify", "water:approver", HttpStatusCode.Forbidden)]
    [InlineData("POST", "/api/v1/pipelines/water_meter_daily/runs", "water:approver", HttpStatusCode.Forbidden)]
    [InlineData("GET", "/api/v1/pipelines/water_meter_daily/runs", null, HttpStatusCode.Unauthorized)]
    [InlineData("POST", "/api/v1/quality/water.meter_reading_daily/runs", "gas:analyst", HttpStatusCode.Forbidden)]
    [InlineData("GET", "/api/v1/quality/departments", null, HttpStatusCode.Unauthorized)]
    [InlineData("GET", "/api/v1/quality/departments", "gas:analyst", HttpStatusCode.OK)]
    [InlineData("GET", "/api/v1/datasets", null, HttpStatusCode.OK)]
    [InlineData("GET", "/api/v1/catalog/search?q=%E6%88%B7", null, HttpStatusCode.OK)]
    public async Task Data_runs_and_the_audit_chain_need_the_right_key_while_catalog_metadata_stays_open(string method, string path, string? who, HttpStatusCode expected)
    {
        using var http = new HttpClient { BaseAddress = slice.Http.BaseAddress };
        if (who is not null)
        {
            var (department, role) = (who.Split(':')[0], who.Split(':')[1]);
            var key = (await slice.Platform.Identity.CreateApiKeyAsync(department, null, [role], TimeSpan.FromHours(1), "test", CancellationToken.None)).Secret;
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        }

        using var response = await http.SendAsync(new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative)));
        Assert.Equal(expected, response.StatusCode);
        if (expected != HttpStatusCode.OK)
        {
            Assert.DoesNotContain("WS3401", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }
}
