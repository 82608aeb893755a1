using DataHub.Catalog;
using DataHub.Quality.Definitions;
using DataHub.Quality.Rules;
using DataHub.Quality.Service;

namespace DataHub.Quality.Tests;

public sealed class ReconcileDefinitionTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("datahub-reconcile-rules-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Write(string name, string yaml)
    {
        var file = Path.Combine(_directory, name);
        File.WriteAllText(file, yaml);
        return file;
    }

    [Fact]
    public void Keys_and_fields_are_read_in_every_spelling_and_the_other_dataset_resolves_like_a_foreign_key()
    {
        Write("r.yaml", """
            rules:
              - id: r.listed
                dataset: water.meter_reading_daily
                kind: reconcile
                with: gas.monthly_usage
                on: [account_no, {reading_date: period}]
                compare:
                  - address
                  - column: usage_m3
                    tolerance: 0.5
                    tolerance_percent: 2
                  - column: reading_m3
                    other: amount
                missing: ignore
              - id: r.mapped
                dataset: water.meter_reading_daily
                kind: reconcile
                with: gas.monthly_usage
                on: {account_no: account_no, reading_date: period}
                compare: [usage_m3]
                dimension: accuracy
                severity: warn
                max_failed_percent: 1
            """);

        var rules = RuleFileLoader.LoadDirectory(_directory);

        var listed = rules[0];
        Assert.Equal((RuleKind.Reconcile, QualityDimension.Consistency, RuleSeverity.Fail), (listed.Kind, listed.Dimension, listed.Severity)); // consistency by default
        Assert.Equal("gas.monthly_usage", listed.Parameters.ReferenceSql);
        var settings = listed.Parameters.Reconcile!;
        Assert.Equal("gas.monthly_usage", settings.With);
        Assert.True(settings.IgnoreMissing);
        Assert.Equal([("account_no", "account_no", 6L), ("reading_date", "period", 6L)], settings.On.Select(k => (k.Column, k.OtherColumn, k.Line)));
        Assert.Equal(
            [("address", "address", (decimal?)null, (decimal?)null, 8L), ("usage_m3", "usage_m3", 0.5m, 2m, 9L), ("reading_m3", "amount", null, null, 12L)],
            settings.Compare.Select(f => (f.Column, f.OtherColumn, f.Tolerance, f.TolerancePercent, f.Line)));

        var mapped = rules[1];
        Assert.Equal((QualityDimension.Accuracy, RuleSeverity.Warn, 1.0), (mapped.Dimension, mapped.Severity, mapped.Threshold.MaxPercent));
        Assert.False(mapped.Parameters.Reconcile!.IgnoreMissing);
        Assert.Equal([("account_no", "account_no", 19L), ("reading_date", "period", 19L)], mapped.Parameters.Reconcile.On.Select(k => (k.Column, k.OtherColumn, k.Line)));

        // Bound to the dataset: this side's key and compared columns; the other dataset through the same resolver as a foreign key's table.
        var catalog = CatalogDefinitions.Load(CatalogDefinitions.FindDirectory());
        var bound = RuleBinder.Bind(catalog.GetDataset("water.meter_reading_daily"), rules, r => $"SELECT * FROM lake_scan('{r}')", catalog);
        var rule = Assert.Single(bound, r => r.Id == "r.listed");
        Assert.Equal(["account_no", "reading_date", "address", "usage_m3", "reading_m3"], rule.Columns);
        Assert.Equal("SELECT * FROM lake_scan('gas.monthly_usage')", rule.Parameters.ReferenceSql);
        // Binding another dataset neither binds nor resolves them (the caller resolves only the tables its own rules read).
        Assert.Empty(RuleBinder.Bind(catalog.GetDataset("gas.monthly_usage"), rules, r => throw new KeyNotFoundException(r), catalog));
    }

    [Fact]
    public void Missing_or_malformed_settings_are_reported_at_once_with_file_line_and_field()
    {
        var file = Write("bad.yaml", """
            rules:
              - id: bad.bare
                dataset: water.meter_reading_daily
                kind: reconcile
              - id: bad.settings
                dataset: water.meter_reading_daily
                kind: reconcile
                with: water
                on: [account_no, [reading_date]]
                compare:
                  - column: usage_m3
                    tolerance: -0.1
                  - column: reading_m3
                    tolerance_percent: lots
                  - column: address
                    toleranse: 1
                  - other: address
                missing: sometimes
              - id: bad.attached
                element: account_no
                kind: reconcile
                with: gas.monthly_usage
                on: account_no
                compare: usage_m3
              - id: bad.compare
                dataset: water.meter_reading_daily
                kind: reconcile
                with: gas.monthly_usage
                on: account_no
                compare: {usage_m3: billed_m3}
            """);

        var error = Assert.Throws<RuleDefinitionException>(() => RuleFileLoader.LoadDirectory(_directory));

        Assert.Equal(
        [
            $"{file}:2: with: a reconcile rule names the other dataset as schema.table",
            $"{file}:2: on: a reconcile rule names the key columns that pair its rows with the other dataset's",
            $"{file}:2: compare: a reconcile rule lists the fields that must agree",
            $"{file}:18: missing: 'sometimes' is not fail or ignore",
            $"{file}:9: on: each key is a column name, or column: other_column",
            $"{file}:12: compare.usage_m3.tolerance: '-0.1' is not a number ≥ 0",
            $"{file}:14: compare.reading_m3.tolerance_percent: 'lots' is not a number ≥ 0",
            $"{file}:16: compare.address.toleranse: not one of column, other, tolerance, tolerance_percent",
            $"{file}:17: compare: each field names its column (column: name)",
            $"{file}:20: attribute/element/dataset: a Reconcile rule is attached to a dataset",
            $"{file}:30: compare: a list of fields: column names, or mappings with column and optionally other, tolerance, tolerance_percent",
        ], error.Problems);
    }

    [Fact]
    public void With_the_catalog_both_datasets_and_every_column_must_exist_with_comparable_types()
    {
        var file = Write("catalogued.yaml", """
            rules:
              - id: c.columns
                dataset: water.meter_reading_daily
                kind: reconcile
                with: gas.monthly_usage
                on:
                  - account_no
                  - reading_date: billing_period
                compare:
                  - reading_m3
                  - column: address
                    tolerance: 1
                  - column: usage_m3
                    other: period
                  - column: district_code
                    other: remark
              - id: c.datasets
                dataset: water.meter_readings
                kind: reconcile
                with: gas.usage
                on: [account_no]
                compare: [usage_m3]
              - id: c.fine
                dataset: water.meter_reading_daily
                kind: reconcile
                with: gas.monthly_usage
                on: [account_no]
                compare: [{column: usage_m3, tolerance_percent: 5}, {column: address, other: remark}]
            """);
        var catalog = CatalogDefinitions.Load(CatalogDefinitions.FindDirectory());

        var error = Assert.Throws<RuleDefinitionException>(() => RuleFileLoader.LoadDirectory(_directory, catalog));

        Assert.Equal(
        [
            $"{file}:8: on.reading_date: gas.monthly_usage has no column 'billing_period'",
            $"{file}:11: compare.address: gas.monthly_usage has no column 'address'",
            $"{file}:13: compare.usage_m3: usage_m3 is DECIMAL(12,2) in water.meter_reading_daily but period is VARCHAR in gas.monthly_usage; compare like with like",
            $"{file}:18: dataset: 'water.meter_readings' is not a catalogued dataset (catalog/datasets)",
            $"{file}:20: with: 'gas.usage' is not a catalogued dataset (catalog/datasets)",
        ], error.Problems);

        // The same file without the catalog: only its form is checked, and it loads.
        Assert.Equal(3, RuleFileLoader.LoadDirectory(_directory).Count);

        // A tolerance on text is refused once the catalog tells the types.
        File.WriteAllText(file, """
            rules:
              - id: c.text
                dataset: water.meter_reading_daily
                kind: reconcile
                with: gas.monthly_usage
                on: [account_no]
                compare:
                  - {column: address, other: remark, tolerance: 1}
            """);
        error = Assert.Throws<RuleDefinitionException>(() => RuleFileLoader.LoadDirectory(_directory, catalog));
        Assert.Equal([$"{file}:8: compare.address: a tolerance applies to numbers, and address is VARCHAR"], error.Problems);
    }
}
