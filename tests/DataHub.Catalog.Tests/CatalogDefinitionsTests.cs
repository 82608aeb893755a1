namespace DataHub.Catalog.Tests;

public sealed class CatalogDefinitionsTests
{
    private const string DatasetFile = "datasets/water.meter_reading_daily.yaml";

    [Fact]
    public void The_repository_catalog_loads_with_sources_and_codes()
    {
        var catalog = CatalogDefinitions.Load(CatalogDefinitions.FindDirectory());

        Assert.Contains(catalog.Departments, d => d is { Code: "water", Name: "市水务集团", Kind: "utility" });
        Assert.Contains(catalog.Departments, d => d is { Code: "bureau", Kind: "department" });
        Assert.Equal(Enumerable.Range(1, 5), catalog.Nodes.Select(n => n.Level).Distinct());

        var dataset = catalog.GetDataset("water.meter_reading_daily");
        Assert.Equal("water", dataset.Schema);
        Assert.Equal("meter_reading_daily", dataset.Table);
        Assert.Equal("water", dataset.ProviderCode);
        Assert.Equal("conditional", dataset.ShareType);
        Assert.False(string.IsNullOrWhiteSpace(dataset.ShareCondition));
        Assert.Equal(2, dataset.Sensitivity);
        Assert.Equal("general", dataset.Importance);
        Assert.Equal("daily", dataset.UpdateCycle);
        Assert.Equal(
            ["account_no", "meter_no", "reading_date", "reading_m3", "usage_m3", "address", "district_code"],
            dataset.Columns.Select(c => c.Name));
        Assert.Equal(["户号", "表号", "抄表日期", "读数", "用量", "地址", "所属区县"], dataset.Columns.Select(c => c.Source));
        Assert.Equal(Enumerable.Range(1, 7), dataset.Columns.Select(c => c.Ordinal));
        Assert.Equal("DECIMAL(12,2)", dataset.ColumnForSource("用量")!.DataType);
        Assert.Null(dataset.ColumnForSource("不存在"));

        // Every column maps to an L5 attribute under the dataset's L4 entity.
        var nodes = catalog.Nodes.ToDictionary(n => n.Code);
        Assert.Equal(4, nodes[dataset.L4NodeCode!].Level);
        Assert.All(dataset.Columns, c => Assert.Equal(dataset.L4NodeCode, nodes[c.L5NodeCode!].ParentCode));
        Assert.False(catalog.TryGetDataset("water.nothing", out _));
        Assert.Throws<KeyNotFoundException>(() => catalog.GetDataset("water.nothing"));
    }

    [Theory]
    [InlineData(DatasetFile, "title: 居民用水户日抄表读数\n", "", "title", "required field is missing")]
    [InlineData(DatasetFile, "share_type: conditional", "share_type: sometimes", "share_type", "'sometimes' is not allowed")]
    [InlineData(DatasetFile, "sensitivity: 2", "sensitivity: 7", "sensitivity", "from 1 to 4")]
    [InlineData(DatasetFile, "provider: water", "provider: waterworks", "provider", "unknown department code 'waterworks'")]
    [InlineData(DatasetFile, "    source: 表号", "    source: 户号", "columns[1].source", "mapped twice")]
    [InlineData(DatasetFile, "    type: DATE", "    type: DATETIME2", "columns[2].type", "not a supported DuckDB type")]
    [InlineData(DatasetFile, "    l5: L5.utility.water.account.daily_reading.usage_m3", "    l5: L4.utility.water.account.daily_reading", "columns[4].l5", "expected level 5")]
    [InlineData(DatasetFile, "importance: general", "importance: general\nimportanse: core", "importanse", "unknown field")]
    [InlineData(DatasetFile, "name: water.meter_reading_daily", "name: water.meter_reading", "name", "does not match the file name")]
    [InlineData("architecture.yaml", "    parent: L1.utility\n", "    parent: L1.utilities\n", "nodes[1].parent", "unknown parent code 'L1.utilities'")]
    [InlineData("architecture.yaml", "    parent: L2.utility.water\n", "    parent: L1.utility\n", "nodes[2].parent", "needs a level 2 parent")]
    [InlineData("departments.yaml", "    kind: utility", "    kind: company", "departments[1].kind", "'company' is not allowed")]
    [InlineData("departments.yaml", "  - code: gas", "  - code: water", "departments[2].code", "defined twice")]
    public void A_broken_file_is_reported_with_file_line_and_field(string file, string original, string replacement, string field, string problem)
    {
        var directory = TestDirectories.CopyCatalog("yaml");
        try
        {
            var path = Path.Combine(directory, file);
            var text = File.ReadAllText(path);
            Assert.Contains(original, text, StringComparison.Ordinal);
            var index = text.IndexOf(original, StringComparison.Ordinal);
            File.WriteAllText(path, string.Concat(text.AsSpan(0, index), replacement, text.AsSpan(index + original.Length)));

            var error = Assert.Throws<CatalogDefinitionException>(() => CatalogDefinitions.Load(directory));

            Assert.Equal(path, error.FilePath);
            Assert.Equal(field, error.Field);
            Assert.Contains(problem, error.Message, StringComparison.Ordinal);
            Assert.StartsWith($"{path}:{error.Line}: {field}: ", error.Message, StringComparison.Ordinal);

            // The line points at the edited text (or, for a missing field, at the start of its mapping).
            var lines = File.ReadAllLines(path);
            Assert.InRange(error.Line, 1, lines.Length);
            if (replacement.Length > 0)
            {
                Assert.Contains(replacement.Split('\n').First(l => l.Contains(field.Split('.')[^1], StringComparison.Ordinal)).Trim(), lines[error.Line - 1], StringComparison.Ordinal);
            }
        }
        finally
        {
            TestDirectories.Delete(Path.GetDirectoryName(directory)!);
        }
    }

    [Theory]
    [InlineData("  - code: [unclosed\n")]
    [InlineData("  - code: tax\n    name: 市税务局\n    name: 税务局\n    kind: department\n")]
    public void A_syntax_error_or_duplicate_key_names_the_file_and_line(string appended)
    {
        var directory = TestDirectories.CopyCatalog("syntax");
        try
        {
            var path = Path.Combine(directory, "departments.yaml");
            var linesBefore = File.ReadAllLines(path).Length;
            File.AppendAllText(path, appended);

            var error = Assert.Throws<CatalogDefinitionException>(() => CatalogDefinitions.Load(directory));

            Assert.Equal(path, error.FilePath);
            Assert.Equal("(syntax)", error.Field);
            Assert.InRange(error.Line, linesBefore + 1, linesBefore + appended.Count(c => c == '\n') + 1);
            Assert.StartsWith($"{path}:{error.Line}: (syntax): ", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            TestDirectories.Delete(Path.GetDirectoryName(directory)!);
        }
    }
}
