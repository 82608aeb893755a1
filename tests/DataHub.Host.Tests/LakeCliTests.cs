using DataHub.Host.Cli;

namespace DataHub.Host.Tests;

public sealed class LakeCliTests : IDisposable
{
    private readonly string _home = Directory.CreateTempSubdirectory("datahub-lakecli-").FullName;

    public void Dispose() => Directory.Delete(_home, recursive: true);

    [Fact]
    public async Task Sql_and_table_verbs_work_over_the_ingested_lake()
    {
        // Without the demo's own quality runs, so the ones below are the only ones.
        Assert.Equal(0, (await Run("demo", "--no-serve", "--no-quality")).Code);

        var (code, output) = await Run("sql", "SELECT count(*) AS n, count(DISTINCT account_no) AS accounts FROM water.meter_reading_daily", "--format", "csv");
        Assert.Equal(0, code);
        Assert.Equal("n,accounts\n476,240\n", output.Replace("\r\n", "\n", StringComparison.Ordinal));

        (code, output) = await Run("table", "history", "water.meter_reading_daily");
        Assert.Equal(0, code);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.Contains("append", lines[0], StringComparison.Ordinal);
        Assert.Contains("+476", lines[0], StringComparison.Ordinal);
        var created = lines[1].Trim().Split(' ')[0];

        // As of the create snapshot the table exists and is empty.
        (code, output) = await Run("sql", "SELECT count(*) FROM water.meter_reading_daily", "--as-of", created, "--format", "json");
        Assert.Equal(0, code);
        Assert.Contains("\"count_star()\": 0", output, StringComparison.Ordinal);

        (code, output) = await Run("quality", "run", "water.meter_reading_daily");
        Assert.Equal(0, code);
        Assert.Contains("476 rows, 11 rules in 3 queries", output, StringComparison.Ordinal);
        Assert.Matches(@"warn\s+water.freshness\s+1 of\s+1 failed", output);
        Assert.Matches(@"pass\s+water.schema\s+0 of\s+1 failed", output);
        Assert.Matches(@"pass\s+water.rows\s+0 of\s+1 failed", output);
        Assert.Matches(@"pass\s+water.reading.not_null\s+1 of\s+476 failed", output);
        Assert.Contains("e.g. account_no=WS340100042, reading_date=2026-10-02, reading_m3=NULL", output, StringComparison.Ordinal);
        Assert.Contains("0 duplicated key(s)", output, StringComparison.Ordinal);
        (code, output) = await Run("quality", "departments");
        Assert.Equal(0, code);
        Assert.Matches(@"^  1\. 市水务集团 \(water\): \d+\.\d over 1 dataset\(s\)", output);
        (code, output) = await Run("quality", "history", "water.meter_reading_daily");
        Assert.Equal(0, code);
        Assert.StartsWith("#1 ", output, StringComparison.Ordinal);
        var storedOverall = System.Text.RegularExpressions.Regex.Match(output, @"overall (\d+\.\d)").Groups[1].Value;

        // The bulletin is rendered from the stored runs, and its figures are those runs' figures.
        var month = DateTime.UtcNow.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
        (code, output) = await Run("quality", "report", "--month", month);
        Assert.Equal(0, code);
        var bulletin = await File.ReadAllTextAsync(Path.Combine(_home, "reports", month, "bulletin.html"));
        Assert.Contains($"id=\"overall\">{storedOverall}<", bulletin, StringComparison.Ordinal);
        Assert.Contains($"<td>1</td><td>市水务集团</td><td class=\"score\">{storedOverall}</td>", bulletin, StringComparison.Ordinal);
        Assert.Contains("<td>water.freshness</td><td>timeliness</td><td>1</td><td>1</td><td>100.00%</td>", bulletin, StringComparison.Ordinal);
        Assert.Contains("<ul id=\"missed\"><li>water.meter_reading_daily</li></ul>", bulletin, StringComparison.Ordinal);
        Assert.Contains("echarts.init(document.getElementById('trend')", bulletin, StringComparison.Ordinal);
        Assert.Contains("Apache", bulletin, StringComparison.Ordinal); // the inlined ECharts library
        AssertBulletinPdf(Path.Combine(_home, "reports", month, "bulletin.pdf"), month);
        (code, output) = await Run("quality", "report", "--month", "2026-13");
        Assert.Equal(1, code);
        Assert.Contains("--month takes YYYY-MM", output, StringComparison.Ordinal);

        (code, output) = await Run("table", "compact", "water.meter_reading_daily");
        Assert.Equal(0, code);
        Assert.Contains("nothing to compact", output, StringComparison.Ordinal);

        (code, output) = await Run("table", "expire", "--older-than", "0s");
        Assert.Equal(0, code);
        // The create snapshot of each of the 12 tables the demo's pipelines filled, and of the quarantine table the
        // create snapshot and the first 11 of its 12 appends (one per pipeline; the last is current); then the create
        // snapshot of each of the 5 theme tables the demo built (two themes' records and conflicts, one history).
        Assert.Contains("Expired 29 snapshot(s)", output, StringComparison.Ordinal);
        (code, output) = await Run("sql", "SELECT count(*) FROM water.meter_reading_daily", "--as-of", created);
        Assert.Equal(1, code);
        Assert.Contains("no snapshot", output, StringComparison.Ordinal);

        (code, output) = await Run("table", "sweep", "--grace", "0s");
        Assert.Equal(0, code);
        Assert.Contains("Deleted 0 unreferenced file(s)", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_queries_and_options_are_clear_errors()
    {
        var (code, output) = await Run("sql", "SELECT * FROM water.no_such_table");
        Assert.Equal(1, code);
        Assert.Contains("no_such_table", output, StringComparison.Ordinal);

        (code, output) = await Run("sql", "SELECT 1", "--format", "xml");
        Assert.Equal(1, code);
        Assert.Contains("--format is table, csv or json", output, StringComparison.Ordinal);

        (code, output) = await Run("table", "expire", "--older-than", "soon");
        Assert.Equal(1, code);
        Assert.Contains("--older-than takes a duration", output, StringComparison.Ordinal);

        (code, output) = await Run("sql", "SELECT 1", "--as-of", "yesterday-ish");
        Assert.Equal(1, code);
        Assert.Contains("neither a snapshot id nor a timestamp", output, StringComparison.Ordinal);
    }

    private async Task<(int Code, string Output)> Run(params string[] args)
    {
        using var output = new StringWriter();
        var code = await DataHubCli.RunAsync([.. args, "--home", _home], output, CancellationToken.None);
        return (code, output.ToString());
    }

    /// <summary>
    /// The PDF Chromium printed is this month's bulletin (its title, in the document information as UTF-16), has
    /// pages, and draws its Chinese text with an embedded CJK font rather than empty boxes.
    /// </summary>
    internal static void AssertBulletinPdf(string file, string month)
    {
        Assert.True(File.Exists(file), $"{file} was not printed");
        var bytes = File.ReadAllBytes(file);
        var text = System.Text.Encoding.Latin1.GetString(bytes);
        Assert.StartsWith("%PDF-", text, StringComparison.Ordinal);
        var title = "FEFF" + Convert.ToHexString(System.Text.Encoding.BigEndianUnicode.GetBytes($"数据质量通报 {month}"));
        Assert.Contains($"/Title <{title}>", text, StringComparison.OrdinalIgnoreCase);
        Assert.Matches(@"/FontName /[A-Z]{6}\+(WenQuanYi|WenQuanYiMicroHei|NotoSansCJK|NotoSansSC|Noto Sans CJK)", text);
        Assert.True(System.Text.RegularExpressions.Regex.Count(text, @"/Type\s*/Page[^s]") >= 1, "the PDF has no page");
    }
}
