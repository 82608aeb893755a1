using DataHub.DuckDb;
using DataHub.Host.Platform;
using DataHub.Lake.Tables;
using DataHub.Quality.Definitions;
using Microsoft.Extensions.Logging.Abstractions;

namespace DataHub.Host.Tests;

/// <summary>
/// A reconcile rule end to end: a catalog of the repository's definitions plus the test fixture in
/// <c>Fixtures/reconcile</c> (a billing-system dataset of the same water accounts and days, and a rule reconciling
/// the meter readings with it), a private PostgreSQL, both datasets in the lake, and the quality service as the CLI
/// and HTTP API create it.
/// </summary>
public sealed class ReconcileQualityTests : IAsyncLifetime
{
    private const string Readings = "water.meter_reading_daily";
    private const string Billing = "water.billing_usage_daily";
    private const string RuleId = "water.reading.agrees_with_billing";

    private readonly string _root = Directory.CreateTempSubdirectory("datahub-reconcile-root-").FullName;
    private readonly string _home = Directory.CreateTempSubdirectory("datahub-reconcile-home-").FullName;
    private DataHubPlatform _platform = null!;

    public async Task InitializeAsync()
    {
        var repository = DataHubSettings.FindRoot();
        Copy(Path.Combine(repository, "catalog"), Path.Combine(_root, "catalog"));
        Copy(Path.Combine(repository, "tests", "DataHub.Host.Tests", "Fixtures", "reconcile", "catalog"), Path.Combine(_root, "catalog"));
        _platform = await DataHubPlatform.StartAsync(
            new DataHubSettings { Home = _home, Urls = "http://127.0.0.1:0", Root = _root }, NullLoggerFactory.Instance, CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _platform.DisposeAsync();
        Directory.Delete(_home, recursive: true);
        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task The_readings_are_reconciled_with_the_billing_systems_current_snapshot_and_the_result_is_stored()
    {
        using var duck = new DuckDbConnection();
        duck.Open();
        await CreateAsync(Readings);
        await _platform.Tables.AppendAsync(duck, Readings, """
            SELECT * FROM (VALUES
              ('WS340100001', 'M1', DATE '2026-10-01', 10.00, 0.50, '合肥市蜀山区长江西路1号', '340104'),
              ('WS340100002', 'M2', DATE '2026-10-01', 20.00, 1.20, '合肥市蜀山区长江西路2号', '340104'),
              ('WS340100003', 'M3', DATE '2026-10-01', 30.00, NULL, '合肥市蜀山区长江西路3号', '340104'),
              ('WS340100004', 'M4', DATE '2026-10-01', 40.00, 0.80, '合肥市蜀山区长江西路4号', '340104')
            ) v(account_no, meter_no, reading_date, reading_m3, usage_m3, address, district_code)
            """, new LakeCommit("test"));

        // The billing system has no data in the lake yet: the run says which rule needs it.
        var service = QualityServiceFactory.Create(_platform);
        var missing = await Assert.ThrowsAsync<KeyNotFoundException>(() => service.RunAsync(Readings));
        Assert.Contains($"There is no lake table '{Billing}'.", missing.Message, StringComparison.Ordinal);
        Assert.Contains($"Rule {RuleId} ({Path.Combine(_root, "catalog", "rules", "reconcile.yaml")}:4)", missing.Message, StringComparison.Ordinal);

        await CreateAsync(Billing);
        await _platform.Tables.AppendAsync(duck, Billing, """
            SELECT * FROM (VALUES
              ('WS340100001', DATE '2026-10-01', 0.55, '合肥市蜀山区长江西路1号'),
              ('WS340100002', DATE '2026-10-01', 1.00, '合肥市蜀山区长江西路2号'),
              ('WS340100003', DATE '2026-10-01', NULL, '合肥市蜀山区长江西路3号 '),
              ('WS340100005', DATE '2026-10-01', 0.10, '合肥市蜀山区长江西路5号')
            ) v(acct_no, bill_date, billed_m3, service_address)
            """, new LakeCommit("test"));

        var (run, result) = await service.RunAsync(Readings);

        // 4 keyed readings and 1 billing-only account checked; WS…02 is 0.20 off, WS…04 is not billed, WS…05 is only billed.
        var reconcile = Assert.Single(result.Rules, r => r.Rule.Id == RuleId);
        Assert.Equal((5L, 3L, DataHub.Quality.Execution.RuleOutcome.Fail), (reconcile.Checked, reconcile.Failed, reconcile.Outcome));
        Assert.Equal($"1 differ, 1 missing from {Billing}, 1 only in {Billing}", reconcile.Detail);
        string[] samples =
        [
            $"account_no=WS340100002, reading_date=2026-10-01, usage_m3=1.20, {Billing}.billed_m3=1.00",
            $"account_no=WS340100004, reading_date=2026-10-01, missing from {Billing}",
            $"account_no=WS340100005, reading_date=2026-10-01, only in {Billing}",
        ];
        Assert.Equal(samples, reconcile.Samples);
        Assert.Equal(40, run.Scores["consistency"]);

        var stored = Assert.Single((await service.GetRunAsync(run.Id))!.Value.Rules, r => r.RuleId == RuleId);
        Assert.Equal(("reconcile", "consistency", 5L, 3L, "fail"), (stored.Kind, stored.Dimension, stored.Checked, stored.Failed, stored.Outcome));
        Assert.Equal(samples, stored.Samples);

        // The billing system catches up: the next run reads its new current snapshot.
        await _platform.Tables.AppendAsync(duck, Billing,
            "SELECT 'WS340100004' AS acct_no, DATE '2026-10-01' AS bill_date, 0.80 AS billed_m3, '合肥市蜀山区长江西路4号' AS service_address", new LakeCommit("test"));
        (_, result) = await service.RunAsync(Readings);
        reconcile = Assert.Single(result.Rules, r => r.Rule.Id == RuleId);
        Assert.Equal((5L, 2L), (reconcile.Checked, reconcile.Failed));
        Assert.Equal($"1 differ, 0 missing from {Billing}, 1 only in {Billing}", reconcile.Detail);
    }

    [Fact]
    public async Task The_service_refuses_a_reconcile_rule_naming_a_column_the_catalog_does_not_have()
    {
        var file = Path.Combine(_root, "catalog", "rules", "reconcile.yaml");
        await File.WriteAllTextAsync(file, (await File.ReadAllTextAsync(file)).Replace("other: billed_m3", "other: billed_volume", StringComparison.Ordinal));

        var error = Assert.Throws<RuleDefinitionException>(() => QualityServiceFactory.Create(_platform));

        Assert.Equal([$"{file}:10: compare.usage_m3: {Billing} has no column 'billed_volume'"], error.Problems);
    }

    private Task<LakeTableInfo> CreateAsync(string dataset)
    {
        var definition = _platform.Definitions.GetDataset(dataset);
        return _platform.Tables.CreateTableAsync(dataset, definition.Columns.Select(c => new LakeColumnDefinition(c.Name, c.DataType)).ToList(),
            [definition.Columns[0].Name, definition.Columns.First(c => c.DataType == "DATE").Name], new LakeCommit("test"));
    }

    private static void Copy(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }
    }
}
