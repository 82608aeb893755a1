using System.Net;
using System.Net.Sockets;
using DataHub.Catalog.Tests;
using DataHub.Pipelines.Ingest;
using DataHub.Pipelines.Sources;
using Npgsql;

namespace DataHub.Pipelines.Tests;

/// <summary>A departmental database on the private cluster, read by <see cref="PostgresSource"/>.</summary>
[Collection(PostgresTestGroup.Name)]
public sealed class PostgresSourceTests(PostgresFixture postgres) : IAsyncLifetime
{
    private static readonly Dictionary<string, string> PermitMap = new()
    {
        ["id"] = "permit_id",
        ["holder"] = "holder_name",
        ["district"] = "district",
        ["fee"] = "fee",
        ["big"] = "big",
        ["ratio"] = "ratio",
        ["paid"] = "paid",
        ["issued"] = "issued_on",
        ["updated_at"] = "updated_at",
        ["local_ts"] = "local_ts",
        ["photo"] = "photo",
        ["extra"] = "extra",
        ["ref"] = "ref",
        ["valid_for"] = "valid_for",
        ["codes"] = "codes",
        ["opens"] = "opens",
    };

    private readonly string directory = TestDirectories.Create("pg-source");
    private NpgsqlDataSource department = null!;

    public async Task InitializeAsync()
    {
        department = await postgres.CreateDatabaseAsync("department");
        await ExecuteAsync("""
            CREATE SCHEMA intake;
            CREATE TABLE intake.permits (
                id integer PRIMARY KEY, holder text NOT NULL, district varchar(20), fee numeric(12,2), big bigint,
                ratio double precision, paid boolean, issued date, updated_at timestamptz NOT NULL, local_ts timestamp,
                photo bytea, extra jsonb, ref uuid, valid_for interval, codes int[], opens time, note text);
            INSERT INTO intake.permits VALUES
                (1, '张三', '西湖区', 1234.50, 9007199254740993, 0.1, true, '2026-03-01', '2026-03-01 08:00:00+08',
                 '2026-03-01 08:30:00', '\xdeadbeef', '{"k": "值"}', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '1 day 2 hours',
                 '{1,2,3}', '08:30:00', E'多行\n备注, 带 "引号"'),
                (2, '李四, "小李"', NULL, 0.05, -1, -2.5e-10, false, '2025-12-31', '2026-03-02 09:30:00.25+08',
                 '2026-03-02 09:30:00.123456', '\x', '[1, 2]', NULL, '-3 mons', '{}', '23:59:59.5', NULL);
            CREATE TABLE intake.events (id integer, seq integer, what text);
            INSERT INTO intake.events VALUES (1, 1, 'a'), (2, 2, 'b'), (3, 2, 'c'), (4, 3, 'd'), (5, 4, 'e'), (6, NULL, 'never');
            CREATE TABLE intake.people (name text PRIMARY KEY, city text);
            INSERT INTO intake.people VALUES ('Adams', '上海'), ('O''Brien', '杭州'), ('O''Connor', '宁波'), ('Smith', '温州');
            """);
    }

    public Task DisposeAsync()
    {
        TestDirectories.Delete(directory);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_table_is_read_whole_then_only_its_new_rows_as_the_watermark_advances()
    {
        var source = new PostgresSource(new PostgresSourceOptions(department.ConnectionString, Table: "intake.permits", WatermarkColumn: "updated_at"));

        var first = await source.FetchAsync(Output("first"), PermitMap, lastWatermark: null);

        Assert.Equal("2026-03-02T01:30:00.25Z", first.Watermark);
        Assert.Equal(2, first.File.Records);
        Assert.Equal([.. PermitMap.Values, "__extra_17"], first.File.Columns);
        Assert.Equal([.. PermitMap.Keys, "note"], first.File.Headers);
        Assert.DoesNotContain("Password", first.File.SourcePath, StringComparison.OrdinalIgnoreCase);
        var (header, rows) = NormalizedCsv.Read(first.File.DecodedPath);
        Assert.Equal(["__line", .. first.File.Columns], header);
        Assert.Equal(
            [
                "1|1|张三|西湖区|1234.50|9007199254740993|0.1|true|2026-03-01|2026-03-01T00:00:00Z|2026-03-01T08:30:00|deadbeef|" +
                "{\"k\": \"值\"}|a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11|1 day 02:00:00|{1,2,3}|08:30:00|多行\n备注, 带 \"引号\"",
                "2|2|李四, \"小李\"|∅|0.05|-1|-2.5E-10|false|2025-12-31|2026-03-02T01:30:00.25Z|2026-03-02T09:30:00.123456|∅|" +
                "[1, 2]|∅|-3 mons|{}|23:59:59.5|∅",
            ],
            rows.Select(NormalizedCsv.Join));

        await ExecuteAsync("""
            INSERT INTO intake.permits (id, holder, updated_at) VALUES
                (3, '王五', '2026-03-03 10:00:00+08'), (4, '赵六', '2026-03-02 09:30:00.250001+08'),
                (5, '旧的', '2026-03-01 00:00:00+08');
            """);
        var second = await source.FetchAsync(Output("second"), PermitMap, first.Watermark);

        Assert.Equal("2026-03-03T02:00:00Z", second.Watermark);
        Assert.Equal(
            ["1|4|赵六|2026-03-02T01:30:00.250001Z", "2|3|王五|2026-03-03T02:00:00Z"],
            NormalizedCsv.Read(second.File.DecodedPath).Rows.Select(r => $"{r[0]}|{r[1]}|{r[2]}|{r[9]}"));

        var third = await source.FetchAsync(Output("third"), PermitMap, second.Watermark);
        Assert.Equal(0, third.File.Records);
        Assert.Equal(second.Watermark, third.Watermark);
        Assert.Empty(NormalizedCsv.Read(third.File.DecodedPath).Rows);
    }

    [Fact]
    public async Task A_batch_limit_never_splits_rows_that_share_a_watermark()
    {
        var source = new PostgresSource(new PostgresSourceOptions(department.ConnectionString, Table: "intake.events", WatermarkColumn: "seq", BatchLimit: 2));
        var map = new Dictionary<string, string> { ["id"] = "id", ["seq"] = "seq", ["what"] = "what" };
        var seen = new List<string>();
        string? watermark = null;
        var batches = new List<long>();
        for (var run = 0; run < 4; run++)
        {
            var result = await source.FetchAsync(Output($"batch-{run}"), map, watermark);
            batches.Add(result.File.Records);
            seen.AddRange(NormalizedCsv.Read(result.File.DecodedPath).Rows.Select(r => r[3]!));
            watermark = result.Watermark;
        }

        Assert.Equal([3L, 2, 0, 0], batches);
        Assert.Equal(["a", "b", "c", "d", "e"], seen);
        Assert.Equal("4", watermark);
    }

    [Fact]
    public async Task A_query_is_read_as_a_subquery_with_its_own_watermark()
    {
        var source = new PostgresSource(new PostgresSourceOptions(department.ConnectionString,
            Query: "SELECT id, holder AS name, fee * 2 AS double_fee, updated_at FROM intake.permits WHERE fee > 0.1 -- the paying ones\n;",
            WatermarkColumn: "updated_at"));

        var result = await source.FetchAsync(Output("query"), new Dictionary<string, string> { ["id"] = "permit_id", ["name"] = "holder_name" }, "2026-02-01T00:00:00Z");

        Assert.Equal(["permit_id", "holder_name", "__extra_3", "__extra_4"], result.File.Columns);
        Assert.Equal(["1|1|张三|2469.00|2026-03-01T00:00:00Z"], NormalizedCsv.Read(result.File.DecodedPath).Rows.Select(NormalizedCsv.Join));
        Assert.Equal("2026-03-01T00:00:00Z", result.Watermark);
    }

    [Theory]
    [InlineData("intake.permits; DROP TABLE intake.permits")]
    [InlineData("a.b.c")]
    [InlineData("intake.\"permits\"")]
    [InlineData("intake.permits--")]
    [InlineData("1permits")]
    [InlineData("")]
    public async Task Bad_table_names_are_refused_before_anything_runs(string table)
    {
        var error = Assert.Throws<IngestException>(() => new PostgresSource(new PostgresSourceOptions(department.ConnectionString, Table: table)));
        Assert.Contains("table", error.Message, StringComparison.Ordinal);
        Assert.Equal(2L, await ScalarAsync("SELECT count(*) FROM intake.permits WHERE id <= 2"));
    }

    [Fact]
    public void Bad_watermark_columns_and_queries_are_refused()
    {
        Assert.Throws<IngestException>(() => new PostgresSource(new PostgresSourceOptions(department.ConnectionString, Table: "intake.permits", WatermarkColumn: "updated_at desc")));
        Assert.Throws<IngestException>(() => new PostgresSource(new PostgresSourceOptions(department.ConnectionString, Query: "SELECT 1; DROP TABLE intake.permits")));
        Assert.Throws<IngestException>(() => new PostgresSource(new PostgresSourceOptions(department.ConnectionString, Table: "intake.permits", Query: "SELECT 1")));
        Assert.Throws<IngestException>(() => new PostgresSource(new PostgresSourceOptions(department.ConnectionString, Table: "intake.permits", BatchLimit: 0)));
    }

    [Fact]
    public async Task The_watermark_is_bound_as_a_value_so_quotes_in_it_are_harmless()
    {
        var source = new PostgresSource(new PostgresSourceOptions(department.ConnectionString, Table: "intake.people", WatermarkColumn: "name"));
        var map = new Dictionary<string, string> { ["name"] = "name", ["city"] = "city" };

        var after = await source.FetchAsync(Output("quote"), map, "O'Brien");
        Assert.Equal(["O'Connor|宁波", "Smith|温州"], NormalizedCsv.Read(after.File.DecodedPath).Rows.Select(r => $"{r[1]}|{r[2]}"));
        Assert.Equal("Smith", after.Watermark);

        var injected = await source.FetchAsync(Output("injected"), map, "Z' OR '1'='1'; DROP TABLE intake.people; --");
        Assert.Equal(0, injected.File.Records);
        Assert.Equal(4L, await ScalarAsync("SELECT count(*) FROM intake.people"));

        var typed = new PostgresSource(new PostgresSourceOptions(department.ConnectionString, Table: "intake.permits", WatermarkColumn: "updated_at"));
        var error = await Assert.ThrowsAsync<IngestException>(() => typed.FetchAsync(Output("typed"), PermitMap, "2026-01-01' OR '1'='1"));
        Assert.Contains("is not a valid timestamptz", error.Message, StringComparison.Ordinal);

        var missing = new PostgresSource(new PostgresSourceOptions(department.ConnectionString, Table: "intake.permits", WatermarkColumn: "changed_at"));
        error = await Assert.ThrowsAsync<IngestException>(() => missing.FetchAsync(Output("missing"), PermitMap, null));
        Assert.Contains("'changed_at' is not among the columns (id, holder", error.Message, StringComparison.Ordinal);

        var unsuitable = new PostgresSource(new PostgresSourceOptions(department.ConnectionString, Table: "intake.permits", WatermarkColumn: "extra"));
        error = await Assert.ThrowsAsync<IngestException>(() => unsuitable.FetchAsync(Output("unsuitable"), PermitMap, null));
        Assert.Contains("type jsonb", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_connection_string_can_come_from_the_environment_and_no_error_shows_the_password()
    {
        var variable = $"DATAHUB_TEST_DEPARTMENT_{Guid.NewGuid():N}";
        Environment.SetEnvironmentVariable(variable, department.ConnectionString);
        try
        {
            var fromEnvironment = new PostgresSource(new PostgresSourceOptions($"env:{variable}", Table: "intake.people"));
            var result = await fromEnvironment.FetchAsync(Output("env"), new Dictionary<string, string>(), null);
            Assert.Equal(4, result.File.Records);
            Assert.Null(result.Watermark);
            Assert.Equal(["__extra_1", "__extra_2"], result.File.Columns);
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }

        var unset = new PostgresSource(new PostgresSourceOptions($"env:{variable}", Table: "intake.people"));
        var error = await Assert.ThrowsAsync<IngestException>(() => unset.FetchAsync(Output("unset"), new Dictionary<string, string>(), null));
        Assert.Contains(variable, error.Message, StringComparison.Ordinal);

        const string password = "Sup3r-Secret-PW";
        var closed = new PostgresSource(new PostgresSourceOptions(
            $"Host=127.0.0.1;Port={ClosedPort()};Database=department;Username=reader;Password={password};Timeout=5", Table: "intake.people"));
        error = await Assert.ThrowsAsync<IngestException>(() => closed.FetchAsync(Output("closed"), new Dictionary<string, string>(), null));
        Assert.Contains("postgresql://127.0.0.1:", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(password, error.ToString(), StringComparison.Ordinal);

        var wrongDatabase = new PostgresSource(new PostgresSourceOptions(
            new NpgsqlConnectionStringBuilder(department.ConnectionString) { Database = "no_such_db", Password = password }.ConnectionString,
            Table: "intake.people"));
        error = await Assert.ThrowsAsync<IngestException>(() => wrongDatabase.FetchAsync(Output("wrong-db"), new Dictionary<string, string>(), null));
        Assert.Contains("no_such_db", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(password, error.ToString(), StringComparison.Ordinal);
    }

    private static int ClosedPort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var command = department.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    private async Task<long> ScalarAsync(string sql)
    {
        await using var command = department.CreateCommand(sql);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private string Output(string name) => Path.Combine(directory, $"{name}.normalised.csv");
}
