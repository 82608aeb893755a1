using DataHub.DuckDb;
using DataHub.Quality.Execution;
using DataHub.Quality.Rules;

namespace DataHub.Quality.Tests;

public sealed class QualityRunnerTests : IDisposable
{
    private static readonly Dictionary<string, string> Columns = new(StringComparer.Ordinal)
    {
        ["id"] = "VARCHAR", ["name"] = "VARCHAR", ["sex"] = "VARCHAR", ["birth"] = "DATE", ["phone"] = "VARCHAR", ["household"] = "VARCHAR", ["age"] = "INTEGER",
    };

    private readonly DuckDbConnection _duck = new();

    public QualityRunnerTests()
    {
        _duck.Open();
        DataHub.Quality.Functions.QualityFunctions.Register(_duck);
        _duck.Execute("""
            CREATE TABLE people AS SELECT * FROM (VALUES
              ('11010519491231002X', '张三', '2', DATE '1949-12-31', '13812345678', 'H1', 76),
              ('110105194912310021', '李四', '1', DATE '1949-12-31', '1381234567',  'H2', 76),
              ('440524188001010014', '',     '3', DATE '1880-01-01', NULL,          'H9', 146),
              ('440524188001010014', '无',   '1', DATE '1980-01-01', '13912345678', NULL, 46),
              (NULL,                 '王五', '1', NULL,              '13712345678', 'H1', NULL)
            ) t(id, name, sex, birth, phone, household, age);
            CREATE TABLE households AS SELECT * FROM (VALUES ('H1'), ('H2')) h(code);
            """);
    }

    public void Dispose() => _duck.Dispose();

    private static QualityRule Rule(string id, RuleKind kind, string[] columns, RuleParameters? p = null, RuleSeverity severity = RuleSeverity.Fail, RuleThreshold? threshold = null, QualityDimension dimension = QualityDimension.Accuracy) =>
        new(id, kind, dimension, severity, columns, p ?? new RuleParameters(), threshold ?? RuleThreshold.Zero);

    private static readonly QualityRule[] Rules =
    [
        Rule("id.not_null", RuleKind.NotNull, ["id"], dimension: QualityDimension.Completeness),
        Rule("name.not_null", RuleKind.NotNull, ["name"], dimension: QualityDimension.Completeness),
        Rule("sex.code", RuleKind.InCodeSet, ["sex"], new RuleParameters { Codes = ["0", "1", "2", "9"] }, dimension: QualityDimension.Normativity),
        Rule("phone.format", RuleKind.Format, ["phone"], new RuleParameters { Pattern = "1[3-9][0-9]{9}" }),
        Rule("name.length", RuleKind.Length, ["name"], new RuleParameters { Min = "2", Max = "20" }, severity: RuleSeverity.Warn),
        Rule("birth.range", RuleKind.Range, ["birth"], new RuleParameters { Min = "1900-01-01", Max = "2026-12-31" }),
        Rule("age.range", RuleKind.Range, ["age"], new RuleParameters { Min = "0", Max = "130" }, threshold: new RuleThreshold(null, 50)),
        Rule("id.check", RuleKind.CheckDigit, ["id"], new RuleParameters { Algorithm = "gb11643" }),
        Rule("id.birth", RuleKind.Expression, [], new RuleParameters { Condition = "strptime(substr(id, 7, 8), '%Y%m%d')::DATE = birth" }, dimension: QualityDimension.Consistency),
        Rule("id.unique", RuleKind.Unique, ["id"]),
        Rule("household.fk", RuleKind.ForeignKey, ["household"], new RuleParameters { ReferenceSql = "SELECT code FROM households" }, dimension: QualityDimension.Consistency),
    ];

    [Fact]
    public void Every_rule_counts_what_it_checked_and_what_failed()
    {
        var result = QualityRunner.Run(_duck, "SELECT * FROM people", Columns, ["id"], Rules);
        Assert.Equal(5, result.Rows);
        var byId = result.Rules.ToDictionary(r => r.Rule.Id);

        Assert.Equal((5L, 1L, RuleOutcome.Fail), Figures(byId["id.not_null"]));
        Assert.Equal((5L, 2L, RuleOutcome.Fail), Figures(byId["name.not_null"]));   // '' and '无' are missing markers
        Assert.Equal((5L, 1L, RuleOutcome.Fail), Figures(byId["sex.code"]));
        Assert.Equal((4L, 1L, RuleOutcome.Fail), Figures(byId["phone.format"]));    // NULL is not checked for format
        Assert.Equal((5L, 2L, RuleOutcome.Warn), Figures(byId["name.length"]));     // '' and '无' are too short; warn severity
        Assert.Equal((4L, 1L, RuleOutcome.Fail), Figures(byId["birth.range"]));
        Assert.Equal((4L, 1L, RuleOutcome.Pass), Figures(byId["age.range"]));       // 25% failing, 50% allowed
        Assert.Equal((4L, 1L, RuleOutcome.Fail), Figures(byId["id.check"]));
        Assert.Equal((4L, 1L, RuleOutcome.Fail), Figures(byId["id.birth"]));         // 1980 vs 1880
        Assert.Equal((4L, 2L, RuleOutcome.Fail), Figures(byId["id.unique"]));        // NULL keys skipped
        Assert.Equal("1 duplicated key(s)", byId["id.unique"].Detail);
        Assert.Equal((4L, 1L, RuleOutcome.Fail), Figures(byId["household.fk"]));

        // One aggregate scan for the nine row rules, one query per set rule (its samples included), and a sample
        // query only for the row rules that failed.
        Assert.Equal(1 + 2 + result.Rules.Count(r => r.Failed > 0 && r.Rule.Kind is not (RuleKind.Unique or RuleKind.ForeignKey)), result.Queries);
        Assert.Contains("id=110105194912310021", Assert.Single(byId["id.check"].Samples), StringComparison.Ordinal);
        Assert.Contains("household=H9", Assert.Single(byId["household.fk"].Samples), StringComparison.Ordinal);
        Assert.Contains("copies=2", Assert.Single(byId["id.unique"].Samples), StringComparison.Ordinal);
    }

    [Fact]
    public void The_ingestion_gate_lists_the_fail_rules_each_row_breaks()
    {
        var compiled = RuleCompiler.Compile(Rules, Columns);
        using var command = new DuckDbCommand($"SELECT coalesce(id, '∅'), array_to_string(__violations, ',') FROM ({compiled.ViolationsSql("SELECT * FROM people")}) ORDER BY ALL", _duck);
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
        {
            rows.Add(reader.GetString(0) + ":" + reader.GetString(1));
        }

        Assert.Equal(
        [
            "110105194912310021:phone.format,id.check",
            "11010519491231002X:",
            "440524188001010014:name.not_null,id.birth",
            "440524188001010014:name.not_null,sex.code,birth.range,age.range",
            "∅:id.not_null",
        ], rows);
    }

    [Fact]
    public void Address_link_samples_show_unlinked_records_with_an_address_before_those_without_any()
    {
        _duck.Execute("""
            CREATE TABLE linked AS SELECT * FROM (VALUES
              ('A1', NULL, NULL), ('A2', NULL, NULL), ('A3', '34010400100100000001', '合肥市蜀山区长江西路1号'),
              ('A4', NULL, '合肥市蜀山区无此路9号'), ('A5', NULL, NULL)
            ) t(id, code, address);
            """);
        var columns = new Dictionary<string, string>(StringComparer.Ordinal) { ["id"] = "VARCHAR", ["code"] = "VARCHAR", ["address"] = "VARCHAR" };
        var rule = Rule("address.link", RuleKind.AddressLink, ["code", "address"], severity: RuleSeverity.Warn, dimension: QualityDimension.Completeness);
        var result = Assert.Single(QualityRunner.Run(_duck, "SELECT * FROM linked", columns, ["id"], [rule], sampleCap: 2).Rules);
        Assert.Equal((5L, 4L, RuleOutcome.Warn), Figures(result));   // every record counts, without a code it fails
        Assert.Equal(2, result.Samples.Count);
        Assert.StartsWith("id=A4, code=NULL, address=合肥市蜀山区无此路9号", result.Samples[0], StringComparison.Ordinal);
        Assert.StartsWith("id=A1, code=NULL, address=NULL", result.Samples[1], StringComparison.Ordinal);   // then by key
    }

    [Fact]
    public void Rules_that_read_unknown_columns_or_lack_settings_are_refused_by_name()
    {
        var error = Assert.Throws<ArgumentException>(() => RuleCompiler.Compile([Rule("x", RuleKind.NotNull, ["nope"])], Columns));
        Assert.Contains("'nope'", error.Message, StringComparison.Ordinal);
        error = Assert.Throws<ArgumentException>(() => RuleCompiler.Compile([Rule("f", RuleKind.Format, ["phone"])], Columns));
        Assert.Contains("f (Format) needs 'pattern'", error.Message, StringComparison.Ordinal);
        error = Assert.Throws<ArgumentException>(() => RuleCompiler.Compile([Rule("c", RuleKind.CheckDigit, ["id"], new RuleParameters { Algorithm = "luhn" })], Columns));
        Assert.Contains("luhn", error.Message, StringComparison.Ordinal);
    }

    private static (long Checked, long Failed, RuleOutcome Outcome) Figures(RuleResult r) => (r.Checked, r.Failed, r.Outcome);
}
