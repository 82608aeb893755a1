using DataHub.DuckDb;
using DataHub.Quality.Execution;
using DataHub.Quality.Rules;

namespace DataHub.Quality.Tests;

/// <summary>Reconcile rules run on the real DuckDB: the meter readings against a billing extract of the same accounts and days.</summary>
public sealed class ReconcileRunnerTests : IDisposable
{
    private static readonly Dictionary<string, string> Columns = new(StringComparer.Ordinal)
    {
        ["account_no"] = "VARCHAR", ["reading_date"] = "DATE", ["usage_m3"] = "DECIMAL(12,2)", ["address"] = "VARCHAR",
    };

    private readonly DuckDbConnection _duck = new();

    public ReconcileRunnerTests()
    {
        _duck.Open();
        _duck.Execute("""
            CREATE TABLE readings AS SELECT account_no, CAST(reading_date AS DATE) AS reading_date, CAST(usage_m3 AS DECIMAL(12,2)) AS usage_m3, address FROM (VALUES
              ('A1',  '2026-10-01', 1.00,  '长江西路1号'),
              ('A2',  '2026-10-01', 2.00,  '长江西路2号'),
              ('A3',  '2026-10-01', NULL,  '长江西路3号'),
              ('A4',  '2026-10-01', 4.00,  NULL),
              ('A5',  '2026-10-01', NULL,  '长江西路5号'),
              ('A6',  '2026-10-01', 6.00,  '长江西路6号'),
              (NULL,  '2026-10-01', 7.00,  '长江西路7号'),
              ('A8',  '2026-10-01', 8.00,  '长江西路8号'),
              ('A10', '2026-10-01', 10.30, '长江西路10号')
            ) t(account_no, reading_date, usage_m3, address);
            CREATE TABLE billing AS SELECT acct, CAST(day AS DATE) AS day, CAST(billed AS DECIMAL(12,2)) AS billed, address FROM (VALUES
              ('A1',  '2026-10-01', 1.04,  ' 长江西路1号 '),
              ('A2',  '2026-10-01', 2.10,  '长江西路2号之一'),
              ('A3',  '2026-10-01', NULL,  '长江西路3号'),
              ('A4',  '2026-10-01', 4.00,  '长江西路4号'),
              ('A5',  '2026-10-01', 5.00,  '长江西路5号'),
              ('A8',  '2026-10-02', 8.00,  '长江西路8号'),
              ('A9',  '2026-10-01', 9.00,  '长江西路9号'),
              ('A10', '2026-10-01', 10.25, '长江西路10号'),
              (NULL,  '2026-10-01', 1.00,  '无户号')
            ) t(acct, day, billed, address);
            """);
    }

    public void Dispose() => _duck.Dispose();

    private static QualityRule Rule(string id, ReconcileField[] compare, bool ignoreMissing = false, RuleThreshold? threshold = null, RuleSeverity severity = RuleSeverity.Fail) =>
        new(id, RuleKind.Reconcile, QualityDimension.Consistency, severity,
            ["account_no", "reading_date", .. compare.Select(f => f.Column).Distinct()],
            new RuleParameters
            {
                ReferenceSql = "SELECT * FROM billing",
                Reconcile = new ReconcileSettings("water.billing", [new("account_no", "acct"), new("reading_date", "day")], compare, ignoreMissing),
            },
            threshold ?? RuleThreshold.Zero);

    private static readonly ReconcileField Usage = new("usage_m3", "billed", Tolerance: 0.05m);
    private static readonly ReconcileField Address = new("address", "address");

    private QualityRunResult Run(params QualityRule[] rules) => QualityRunner.Run(_duck, "SELECT * FROM readings", Columns, ["account_no"], rules);

    [Fact]
    public void Disagreements_beyond_the_tolerance_and_keys_on_one_side_only_fail_with_a_sample_each()
    {
        var result = Run(Rule("readings.billing", [Usage, Address]));

        var r = Assert.Single(result.Rules);
        // Checked: the 8 readings with a complete key, and the 2 billing keys no reading has (A8 on 10-02, A9).
        // Failed: A2 (usage off by 0.10), A4 (address NULL against a value), A5 (usage NULL against 5.00); A6 and
        // A8 (10-01) missing from billing; the 2 billing-only keys. A1 (0.04 off, address differing only in spaces),
        // A3 (NULL and NULL) and A10 (exactly 0.05 off) agree.
        Assert.Equal((10L, 7L, RuleOutcome.Fail), (r.Checked, r.Failed, r.Outcome));
        Assert.Equal("3 differ, 2 missing from water.billing, 2 only in water.billing", r.Detail);
        Assert.Equal(
        [
            "account_no=A2, reading_date=2026-10-01, usage_m3=2.00, water.billing.billed=2.10",   // the first field that disagrees, not the address
            "account_no=A4, reading_date=2026-10-01, address=NULL, water.billing.address=长江西路4号",
            "account_no=A5, reading_date=2026-10-01, usage_m3=NULL, water.billing.billed=5.00",
            "account_no=A6, reading_date=2026-10-01, missing from water.billing",
            "account_no=A8, reading_date=2026-10-01, missing from water.billing",
        ], r.Samples);
        // One aggregate scan (which also counts the keyed rows) and one query for the rule, its samples included.
        Assert.Equal(2, result.Queries);
    }

    [Fact]
    public void Keys_on_one_side_only_can_be_ignored_and_the_rest_still_counts()
    {
        var r = Assert.Single(Run(Rule("readings.billing", [Usage, Address], ignoreMissing: true)).Rules);

        Assert.Equal((8L, 3L, RuleOutcome.Fail), (r.Checked, r.Failed, r.Outcome));
        Assert.Equal("3 differ, 2 missing from water.billing, 2 only in water.billing (missing keys ignored)", r.Detail);
        Assert.Equal(3, r.Samples.Count);
        Assert.DoesNotContain(r.Samples, s => s.Contains("missing", StringComparison.Ordinal) || s.Contains("only in", StringComparison.Ordinal));
    }

    [Fact]
    public void Tolerances_absolute_percent_or_none_decide_which_numbers_agree()
    {
        var result = Run(
            Rule("exact", [new ReconcileField("usage_m3", "billed")], ignoreMissing: true),
            Rule("absolute", [new ReconcileField("usage_m3", "billed", Tolerance: 0.05m)], ignoreMissing: true),
            Rule("percent", [new ReconcileField("usage_m3", "billed", TolerancePercent: 5m)], ignoreMissing: true),
            Rule("either", [new ReconcileField("usage_m3", "billed", Tolerance: 0.2m, TolerancePercent: 0.1m)], ignoreMissing: true),
            Rule("tight", [new ReconcileField("usage_m3", "billed", Tolerance: 0.04m)], ignoreMissing: true));
        var failed = result.Rules.ToDictionary(r => r.Rule.Id, r => r.Failed);

        // Exact: A1, A2, A10 differ, and A5 (NULL against 5.00); A3 (NULL, NULL) and A4 agree.
        Assert.Equal(4, failed["exact"]);
        // Within 0.05: A1 (0.04) and A10 (0.05, the bound itself) agree; A2 (0.10) and A5 do not.
        Assert.Equal(2, failed["absolute"]);
        // Within 5% of billing: A2 (0.10 of 2.10) agrees too; NULL against a value never does.
        Assert.Equal(1, failed["percent"]);
        // Within either 0.2 or 0.1%: the absolute tolerance lets A1, A2 and A10 agree.
        Assert.Equal(1, failed["either"]);
        // Within 0.04: A1 is on the bound, A10 (0.05) beyond it.
        Assert.Equal(3, failed["tight"]);
        Assert.Contains("account_no=A10, reading_date=2026-10-01, usage_m3=10.30, water.billing.billed=10.25", result.Rules.Single(r => r.Rule.Id == "tight").Samples);
    }

    [Fact]
    public void Text_is_compared_trimmed_and_exactly_and_NULL_agrees_only_with_NULL()
    {
        var r = Assert.Single(Run(Rule("address", [Address], ignoreMissing: true)).Rules);

        // A1 differs only in surrounding spaces (agrees); A2 has a different text; A4 is NULL against a value.
        Assert.Equal((8L, 2L), (r.Checked, r.Failed));
        Assert.Equal(
        [
            "account_no=A2, reading_date=2026-10-01, address=长江西路2号, water.billing.address=长江西路2号之一",
            "account_no=A4, reading_date=2026-10-01, address=NULL, water.billing.address=长江西路4号",
        ], r.Samples);
    }

    [Fact]
    public void Thresholds_and_severity_decide_the_outcome_as_for_other_rules()
    {
        var result = Run(
            Rule("tolerated", [Usage, Address], threshold: new RuleThreshold(null, 70)),
            Rule("warned", [Usage, Address], severity: RuleSeverity.Warn),
            Rule("counted", [Usage, Address], threshold: new RuleThreshold(6, null)));
        var outcomes = result.Rules.ToDictionary(r => r.Rule.Id, r => r.Outcome);

        Assert.Equal(RuleOutcome.Pass, outcomes["tolerated"]);   // 7 of 10 failed = 70%
        Assert.Equal(RuleOutcome.Warn, outcomes["warned"]);
        Assert.Equal(RuleOutcome.Fail, outcomes["counted"]);     // 7 > 6
        Assert.All(result.Rules, r => Assert.Equal(0.3, r.PassRate, 6));
    }

    [Fact]
    public void A_key_repeated_in_the_other_source_must_agree_every_time_and_a_row_fails_once()
    {
        _duck.Execute("""
            INSERT INTO billing VALUES ('A1', DATE '2026-10-01', 1.04, '别处'), ('A1', DATE '2026-10-01', 1.50, '长江西路1号');
            INSERT INTO readings VALUES ('A3', DATE '2026-10-01', NULL, '长江西路3号');
            """);

        var r = Assert.Single(Run(Rule("both", [Usage, Address], ignoreMissing: true)).Rules);

        // A1 now has three billing rows: one agrees, one has another address, one is 0.50 off. It fails once, and its
        // sample shows the first compared field that any of them disagrees on. The second A3 reading agrees like the first.
        Assert.Equal((9L, 4L), (r.Checked, r.Failed));
        Assert.Equal("account_no=A1, reading_date=2026-10-01, usage_m3=1.00, water.billing.billed=1.50", Assert.Single(r.Samples, s => s.StartsWith("account_no=A1,", StringComparison.Ordinal)));
    }

    [Fact]
    public void A_reconcile_rule_without_its_settings_or_reading_unknown_columns_is_refused_by_name()
    {
        var rule = Rule("r", [Usage]);
        var error = Assert.Throws<ArgumentException>(() => Run(rule with { Parameters = rule.Parameters with { ReferenceSql = null } }));
        Assert.Contains("r (reconcile) needs the other dataset (with)", error.Message, StringComparison.Ordinal);

        error = Assert.Throws<ArgumentException>(() => Run(rule with { Columns = ["account_no", "reading_date", "usage"] }));
        Assert.Contains("'usage'", error.Message, StringComparison.Ordinal);
    }
}
