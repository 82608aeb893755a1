using DataHub.Quality.Definitions;
using DataHub.Quality.Rules;

namespace DataHub.Quality.Tests;

public sealed class RuleFileLoaderTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("datahub-rules-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static string Root()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (Directory.Exists(Path.Combine(dir.FullName, "catalog", "rules")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("catalog/rules");
    }

    [Fact]
    public void The_shipped_rules_load()
    {
        var rules = RuleFileLoader.LoadDirectory(Path.Combine(Root(), "catalog", "rules"));
        Assert.Contains(rules, r => r.Id == "water.reading.key_unique" && r.Kind == RuleKind.Unique && r.Columns.SequenceEqual(["account_no", "reading_date"]));
        var reading = Assert.Single(rules, r => r.Id == "water.reading.not_null");
        Assert.Equal(RuleSeverity.Warn, reading.Severity);
        Assert.Equal(1, reading.Threshold.MaxPercent);
        Assert.Null(reading.Threshold.MaxCount);
    }

    [Fact]
    public void Every_problem_of_every_file_is_reported_at_once_with_file_line_and_field()
    {
        File.WriteAllText(Path.Combine(_directory, "a.yaml"), """
            rules:
              - id: a.one
                element: citizen_id
                kind: check_digit
                algorithm: luhn
                dimension: accuracy
              - id: a.two
                dataset: x.y
                column: c
                kind: format
                pattern: "([unclosed"
                dimension: normativity
              - id: a.three
                attribute: L5.x
                dataset: x.y
                kind: not_null
                dimension: completeness
              - id: a.ok
                element: sex_code
                kind: not_null
                dimension: completeness
            """);
        File.WriteAllText(Path.Combine(_directory, "b.yaml"), """
            rules:
              - id: a.ok
                element: sex_code
                kind: in_code_set
                codes: ["1", "2"]
                dimension: normativity
              - id: b.two
                element: phone
                kind: sorting
                dimension: prettiness
                max_failed_percent: 150
            """);
        File.WriteAllText(Path.Combine(_directory, "c.yaml"), "rules: [unclosed");

        var error = Assert.Throws<RuleDefinitionException>(() => RuleFileLoader.LoadDirectory(_directory));
        var a = Path.Combine(_directory, "a.yaml");
        var b = Path.Combine(_directory, "b.yaml");
        var c = Path.Combine(_directory, "c.yaml");
        Assert.Contains($"{a}:5: algorithm: 'luhn' is not gb11643 (citizen ID) or gb32100 (credit code)", error.Problems);
        Assert.Contains(error.Problems, p => p.StartsWith($"{a}:11: pattern: '([unclosed'", StringComparison.Ordinal));
        Assert.Contains(error.Problems, p => p.StartsWith($"{a}:14: attribute/element/dataset: attach the rule to exactly one", StringComparison.Ordinal));
        Assert.Contains(error.Problems, p => p.StartsWith($"{b}:9: kind: 'sorting' is not one of", StringComparison.Ordinal));
        Assert.Contains(error.Problems, p => p.StartsWith($"{b}:10: dimension: 'prettiness'", StringComparison.Ordinal));
        Assert.Contains(error.Problems, p => p.StartsWith($"{b}:11: max_failed_percent: '150'", StringComparison.Ordinal));
        Assert.Contains($"{b}:2: id: 'a.ok' is already used at {a}:18", error.Problems);
        Assert.Contains($"{a}:13: column: a NotNull rule on a dataset names its column", error.Problems);
        Assert.Contains(error.Problems, p => p.StartsWith($"{c}:", StringComparison.Ordinal) && p.Contains("(syntax)", StringComparison.Ordinal));
        Assert.Equal(9, error.Problems.Count);
    }

    [Fact]
    public void A_credit_code_check_defaults_to_warn_and_named_formats_resolve()
    {
        File.WriteAllText(Path.Combine(_directory, "d.yaml"), """
            rules:
              - id: d.credit
                element: credit_code
                kind: check_digit
                algorithm: gb32100
                dimension: accuracy
              - id: d.phone
                element: mobile
                kind: format
                named_format: mobile_phone
                dimension: normativity
            """);
        var rules = RuleFileLoader.LoadDirectory(_directory);
        Assert.Equal(RuleSeverity.Warn, rules[0].Severity);
        Assert.Equal(RuleSeverity.Fail, rules[1].Severity);
        Assert.Equal(RuleFileLoader.NamedFormats["mobile_phone"], rules[1].Parameters.Pattern);
    }
}

public sealed class RuleBinderTests
{
    [Fact]
    public void Element_rules_reach_every_column_whose_attribute_uses_the_element_with_its_code_set()
    {
        var catalog = DataHub.Catalog.CatalogDefinitions.Load(DataHub.Catalog.CatalogDefinitions.FindDirectory());
        var rules = RuleFileLoader.LoadDirectory(Path.Combine(Path.GetDirectoryName(DataHub.Catalog.CatalogDefinitions.FindDirectory())!, "catalog", "rules"));
        var water = catalog.GetDataset("water.meter_reading_daily");

        var bound = DataHub.Quality.Service.RuleBinder.Bind(water, rules, r => r, catalog);

        var division = Assert.Single(bound, r => r.Id == "element.division_code.in_code_set@district_code");
        Assert.Equal(["district_code"], division.Columns);
        Assert.Contains("340102", division.Parameters.Codes);
        Assert.Equal(catalog.CodeSets.Single(c => c.Code == "division").Values.Count, division.Parameters.Codes.Count);
        Assert.Contains(bound, r => r.Id == "water.reading.key_unique" && r.Columns.SequenceEqual(["account_no", "reading_date"]));
        // No citizen ID in the water readings: the element's rules do not reach it.
        Assert.DoesNotContain(bound, r => r.Id.StartsWith("element.citizen_id", StringComparison.Ordinal));
    }
}

public sealed class TableRuleDefinitionTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("datahub-table-rules-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Table_rules_need_a_dataset_and_valid_settings()
    {
        File.WriteAllText(Path.Combine(_directory, "t.yaml"), """
            rules:
              - id: t.rows
                element: citizen_id
                kind: row_count
                dimension: completeness
              - id: t.fresh
                dataset: a.b
                kind: freshness
                max_age: soon
                dimension: timeliness
              - id: t.ok
                dataset: a.b
                kind: row_count
                max_change_percent: 20
                dimension: completeness
            """);
        var error = Assert.Throws<RuleDefinitionException>(() => RuleFileLoader.LoadDirectory(_directory));
        var file = Path.Combine(_directory, "t.yaml");
        Assert.Contains(error.Problems, p => p.StartsWith($"{file}:3: attribute/element/dataset: a RowCount rule is attached to a dataset", StringComparison.Ordinal));
        Assert.Contains(error.Problems, p => p.StartsWith($"{file}:2: min: a row_count rule needs min, max or max_change_percent", StringComparison.Ordinal));
        Assert.Contains($"{file}:9: max_age: 'soon' is not a duration such as 30m, 12h, 2d or 1w", error.Problems);
        Assert.Equal(3, error.Problems.Count);
    }
}

public sealed class SourceConflictRuleDefinitionTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("datahub-conflict-rules-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void A_source_conflicts_rule_is_a_consistency_warning_by_default_and_names_its_conflicts_table()
    {
        var file = Path.Combine(_directory, "c.yaml");
        File.WriteAllText(file, """
            rules:
              - id: c.agree
                dataset: theme.people
                kind: source_conflicts
                with: theme.people_conflicts
              - id: c.name
                dataset: theme.people
                column: name
                kind: source_conflicts
                with: theme.people_conflicts
                severity: fail
              - id: c.bad
                dataset: theme.people
                kind: source_conflicts
                with: "people conflicts"
            """);
        var error = Assert.Throws<RuleDefinitionException>(() => RuleFileLoader.LoadDirectory(_directory));
        Assert.Equal([$"{file}:15: with: a source_conflicts rule names the theme's conflicts table as with: schema.table"], error.Problems);

        File.WriteAllText(file, string.Join('\n', File.ReadAllLines(file).Take(11)));
        var rules = RuleFileLoader.LoadDirectory(_directory);
        var agree = Assert.Single(rules, r => r.Id == "c.agree");
        Assert.Equal((RuleKind.SourceConflicts, QualityDimension.Consistency, RuleSeverity.Warn, "theme.people_conflicts"),
            (agree.Kind, agree.Dimension, agree.Severity, agree.Parameters.ReferenceSql));
        Assert.Equal(RuleSeverity.Fail, Assert.Single(rules, r => r.Id == "c.name").Severity);
    }
}

public sealed class QualityWeightsTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("datahub-weights-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Weights_load_and_shape_the_overall_score()
    {
        var file = Path.Combine(_directory, "quality.yaml");
        File.WriteAllText(file, "weights:\n  completeness: 3\n  timeliness: 1\n");
        var weights = QualityWeights.Load(file);
        Assert.Equal(3, weights[QualityDimension.Completeness]);
        Assert.Equal(1, weights[QualityDimension.Accuracy]);

        var complete = new DataHub.Quality.Execution.RuleResult(new QualityRule("c", RuleKind.NotNull, QualityDimension.Completeness, RuleSeverity.Fail, ["x"], new RuleParameters(), RuleThreshold.Zero), 100, 0, DataHub.Quality.Execution.RuleOutcome.Pass, []);
        var stale = new DataHub.Quality.Execution.RuleResult(new QualityRule("f", RuleKind.Freshness, QualityDimension.Timeliness, RuleSeverity.Warn, [], new RuleParameters(), RuleThreshold.Zero), 1, 1, DataHub.Quality.Execution.RuleOutcome.Warn, []);
        var scores = DataHub.Quality.Service.QualityScores.Compute([complete, stale], weights);
        Assert.Equal(100, scores["completeness"]);
        Assert.Equal(0, scores["timeliness"]);
        Assert.Equal(75, scores["overall"]);
        Assert.Equal(50, DataHub.Quality.Service.QualityScores.Compute([complete, stale])["overall"]);
    }

    [Fact]
    public void Bad_weights_name_the_file_line_and_dimension()
    {
        var file = Path.Combine(_directory, "quality.yaml");
        File.WriteAllText(file, "weights:\n  completeness: -1\n  beauty: 2\n");
        var error = Assert.Throws<RuleDefinitionException>(() => QualityWeights.Load(file));
        Assert.Equal([$"{file}:2: weights.completeness: not a weight ≥ 0", $"{file}:3: weights.beauty: not a GB/T 36344 dimension"], error.Problems);
    }
}

public sealed class BulletinMaskTests
{
    [Fact]
    public void Bulletin_examples_keep_two_characters_at_each_end_of_longer_values()
    {
        Assert.Equal("account_no=WS*******42, reading_m3=NULL, district_code=34**02, sex=1",
            DataHub.Quality.Service.QualityService.Mask("account_no=WS340100042, reading_m3=NULL, district_code=340102, sex=1"));
    }
}
