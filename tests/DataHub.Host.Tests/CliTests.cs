using System.Net;
using DataHub.Host.Cli;

namespace DataHub.Host.Tests;

public sealed class CliTests : IDisposable
{
    private readonly string _home = Directory.CreateTempSubdirectory("datahub-cli-").FullName;

    public void Dispose() => Directory.Delete(_home, recursive: true);

    [Theory]
    [InlineData("demo")]
    [InlineData("serve")]
    [InlineData("status")]
    [InlineData("bench")]
    [InlineData("catalog")]
    [InlineData("samples")]
    [InlineData("audit")]
    public async Task Every_verb_has_help(string verb)
    {
        var (code, output) = await Run(verb, "--help");
        Assert.Equal(0, code);
        Assert.Contains($"datahub {verb}", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_verb_prints_usage_and_fails()
    {
        var (code, output) = await Run("frobnicate");
        Assert.Equal(2, code);
        Assert.Contains("unknown verb 'frobnicate'", output, StringComparison.Ordinal);
        Assert.Contains("demo", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_option_value_is_a_clear_error()
    {
        var (code, output) = await Run("bench", "duckdb-read", "--rows", "many");
        Assert.Equal(1, code);
        Assert.Contains("--rows must be a positive whole number", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Demo_without_serving_ingests_once_and_status_reports_the_rows()
    {
        var (code, output) = await Run("demo", "--no-serve", "--home", _home);
        Assert.Equal(0, code);
        Assert.Contains("read 480 rows from 2 file(s): committed 476, quarantined 4", output, StringComparison.Ordinal);
        Assert.Contains("rejected samples/water/meter_readings_2026-10-01.csv:19:", output, StringComparison.Ordinal);
        // What was ingested is measured at once, and the themes built from it get their quality run too.
        Assert.Matches(@"quality water\.meter_reading_daily: run \d+, overall \d+\.\d", output);
        Assert.Matches(@"quality run \d+: overall \d", output);

        // Run again: the dataset already holds the samples, so nothing is ingested twice.
        (code, output) = await Run("demo", "--no-serve", "--home", _home);
        Assert.Equal(0, code);
        Assert.Contains("already holds 476 rows", output, StringComparison.Ordinal);
        Assert.DoesNotContain("quality water.meter_reading_daily", output, StringComparison.Ordinal);

        (code, output) = await Run("status", "--home", _home);
        Assert.Equal(0, code);
        Assert.Contains("water.meter_reading_daily", output, StringComparison.Ordinal);
        Assert.Contains("476 rows", output, StringComparison.Ordinal);
        Assert.Contains("started by this process", output, StringComparison.Ordinal);
        Assert.Contains("Succeeded read 480, committed 476, quarantined 4", output, StringComparison.Ordinal);
        // The process that started the cluster stopped it on the way out: no postmaster.pid remains.
        Assert.False(File.Exists(Path.Combine(_home, "pg", "postmaster.pid")));
    }

    [Fact]
    public async Task Catalog_apply_shows_the_difference_dry_runs_and_is_idempotent()
    {
        // A fresh home: the platform migrates but, for this verb, leaves the catalog tables empty until applied.
        var (code, output) = await Run("catalog", "apply", "--dry-run", "--home", _home);
        Assert.Equal(0, code);
        Assert.Contains("+ L1.base", output, StringComparison.Ordinal);
        Assert.Matches(@"node +\+\d{3,} +~0 +-0", output);
        Assert.Contains("+ water.meter_reading_daily", output, StringComparison.Ordinal);
        Assert.Matches(@"Dry run: \d+ change\(s\) would be applied; nothing was written\.", output);

        (code, output) = await Run("catalog", "apply", "--dry-run", "--home", _home);
        Assert.Contains("+ water.meter_reading_daily", output, StringComparison.Ordinal);

        (code, output) = await Run("catalog", "apply", "--home", _home);
        Assert.Equal(0, code);
        Assert.Matches(@"Applied \d+ change\(s\) in one transaction\.", output);

        (code, output) = await Run("catalog", "apply", "--home", _home);
        Assert.Equal(0, code);
        Assert.Contains("No changes: the catalog database matches the files.", output, StringComparison.Ordinal);
        Assert.Contains("  node        +0     ~0     -0", output, StringComparison.Ordinal);

        (code, output) = await Run("catalog", "search", "户籍", "--home", _home);
        Assert.Equal(0, code);
        Assert.Contains("户籍人口  L3.population.registered", output, StringComparison.Ordinal);

        (code, output) = await Run("catalog", "coverage", "--home", _home);
        Assert.Equal(0, code);
        Assert.Contains("unmapped  gas.monthly_usage.remark", output, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_home, "pg", "postmaster.pid")));
    }

    [Fact]
    public async Task The_read_benchmark_runs_both_clients_and_prints_the_ratio()
    {
        var (code, output) = await Run("bench", "duckdb-read", "--rows", "200000", "--runs", "1");
        Assert.Equal(0, code);
        Assert.Contains("DataHub.DuckDb reader", output, StringComparison.Ordinal);
        Assert.Contains("@duckdb/node-api", output, StringComparison.Ordinal);
        Assert.Contains("ratio DataHub / Node", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_lineage_benchmark_walks_a_generated_graph_in_its_own_database_and_prints_percentiles()
    {
        var (code, output) = await Run("bench", "lineage", "--nodes", "4000", "--queries", "10", "--depth", "3", "--home", _home);
        Assert.Equal(0, code);
        Assert.Contains("Generated 4,000 column nodes (200 tables × 20 columns in 50 layers)", output, StringComparison.Ordinal);
        Assert.Matches(@"in database datahub_bench_lineage_[0-9a-f]{12} ", output);
        foreach (var direction in new[] { "up  ", "down", "both" })
        {
            Assert.Matches($@"lineage {direction} depth 3: 10 walks, p50 +[\d.]+ ms, p95 +[\d.]+ ms, p99 +[\d.]+ ms, max +[\d.]+ ms; mean [1-9]\d* nodes", output);
        }
    }

    [Theory]
    [InlineData("--nodes", "100")]
    [InlineData("--depth", "11")]
    public async Task The_lineage_benchmark_refuses_a_graph_too_small_or_a_walk_too_deep(string option, string value)
    {
        var (code, output) = await Run("bench", "lineage", option, value, "--home", _home);
        Assert.Equal(1, code);
        Assert.Contains("datahub bench:", output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_home, "pg")));
    }

    private static async Task<(int Code, string Output)> Run(params string[] args)
    {
        using var output = new StringWriter();
        var code = await DataHubCli.RunAsync(args, output, CancellationToken.None);
        return (code, output.ToString());
    }
}

public sealed class DemoVerbTests : IDisposable
{
    private readonly string _home = Directory.CreateTempSubdirectory("datahub-demo-").FullName;

    public void Dispose() => Directory.Delete(_home, recursive: true);

    [Fact]
    public async Task The_demo_verb_serves_health_the_dataset_list_and_a_preview_until_cancelled()
    {
        var output = new SignallingWriter("DataHub is serving on ");
        using var stop = new CancellationTokenSource();
        var demo = Task.Run(() => DataHubCli.RunAsync(["demo", "--home", _home, "--urls", "http://127.0.0.1:0"], output, stop.Token));
        var serving = await Task.WhenAny(output.Signalled, demo, Task.Delay(TimeSpan.FromMinutes(2)));
        Assert.True(serving == output.Signalled, "demo did not start serving:\n" + output);

        var address = System.Text.RegularExpressions.Regex.Match(output.ToString(), @"serving on (http://[^ ,]+)").Groups[1].Value;
        using var http = new HttpClient { BaseAddress = new Uri(address) };
        Assert.Contains("\"ok\"", await http.GetStringAsync(new Uri("/health", UriKind.Relative)), StringComparison.Ordinal);
        Assert.Contains("water.meter_reading_daily", await http.GetStringAsync(new Uri("/api/v1/datasets", UriKind.Relative)), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync(new Uri("/api/v1/datasets/water.meter_reading_daily/preview?limit=3", UriKind.Relative))).StatusCode);
        var key = System.Text.RegularExpressions.Regex.Match(output.ToString(), @"Demo API key .*?: (dhk_[a-z0-9]{12}_[0-9a-f]{64})").Groups[1].Value;
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        var preview = await http.GetStringAsync(new Uri("/api/v1/datasets/water.meter_reading_daily/preview?limit=3", UriKind.Relative));
        Assert.Contains("WS340100000", preview, StringComparison.Ordinal);

        await stop.CancelAsync();
        Assert.Equal(0, await demo.WaitAsync(TimeSpan.FromMinutes(1)));
        Assert.False(File.Exists(Path.Combine(_home, "pg", "postmaster.pid")), "the private cluster is still running after demo stopped");
    }
}
