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

    [Fact]
    public void Every_problem_in_every_file_is_reported_at_once()
    {
        var directory = TestDirectories.CopyCatalog("many");
        try
        {
            // A department no dataset names, so that breaking it adds no "unknown department" problem elsewhere.
            Edit(directory, "departments.yaml", "    name: 市数据资源管理局\n    kind: department", "    name: 市数据资源管理局\n    kind: company");
            Edit(directory, "elements.yaml", "    code_set: sex", "    code_set: gender");
            Edit(directory, "architecture/population.yaml", "name: 公民身份号码, element: citizen_id", "name: 公民身份号码, element: citizen_number");
            Edit(directory, "datasets/water.meter_reading_daily.yaml", "sensitivity: 2", "sensitivity: 9");
            Edit(directory, "datasets/water.meter_reading_daily.yaml", "    type: DATE", "    type: DATETIME2");
            Edit(directory, "codesets/sex.yaml", "  - {code: \"9\", name: 未说明的性别}", "  - {code: \"1\", name: 未说明的性别}");

            var error = Assert.Throws<CatalogDefinitionException>(() => CatalogDefinitions.Load(directory));

            var found = error.Problems.Select(p => (File: Path.GetRelativePath(directory, p.FilePath!), p.Field)).ToList();
            Assert.Equal(
                [("departments.yaml", "departments[0].kind"),
                 ("codesets/sex.yaml", "values[5].code"),
                 ("elements.yaml", "elements[2].code_set"),
                 ("architecture/population.yaml", "nodes[4].element"),
                 ("datasets/water.meter_reading_daily.yaml", "sensitivity"),
                 ("datasets/water.meter_reading_daily.yaml", "columns[2].type")],
                found);
            var lines = error.Message.Split('\n');
            Assert.Equal(7, lines.Length);
            Assert.Equal("6 problems in the catalog definitions.", lines[^1]);
            foreach (var problem in error.Problems)
            {
                Assert.Contains($"{problem.FilePath}:{problem.Line}: {problem.Field}: ", error.Message, StringComparison.Ordinal);
                Assert.InRange(problem.Line, 1, File.ReadAllLines(problem.FilePath!).Length);
            }

            Assert.Contains("'company' is not allowed", error.Problems[0].Message, StringComparison.Ordinal);
            Assert.Contains("unknown code set 'gender'", error.Problems[2].Message, StringComparison.Ordinal);
            Assert.Contains("公民身份号码, element: citizen_number", File.ReadAllLines(error.Problems[3].FilePath!)[error.Problems[3].Line - 1], StringComparison.Ordinal);
        }
        finally
        {
            TestDirectories.Delete(Path.GetDirectoryName(directory)!);
        }
    }

    [Fact]
    public void A_dataset_is_graded_at_least_as_its_most_sensitive_column()
    {
        var directory = TestDirectories.CopyCatalog("grade");
        try
        {
            var file = Edit(directory, "datasets/population.household_registration.yaml", "sensitivity: 4\nimportance: important", "sensitivity: 3\nimportance: general");

            var error = Assert.Throws<CatalogDefinitionException>(() => CatalogDefinitions.Load(directory));

            Assert.Equal([("sensitivity", file), ("importance", file)], error.Problems.Select(p => (p.Field!, p.FilePath!)));
            Assert.Contains("level 3 is below column 'citizen_id' (L5.population.registered.registration.citizen_id, level 4)", error.Problems[0].Message, StringComparison.Ordinal);
            Assert.Contains("'general' is below column", error.Problems[1].Message, StringComparison.Ordinal);
        }
        finally
        {
            TestDirectories.Delete(Path.GetDirectoryName(directory)!);
        }
    }

    [Fact]
    public void Attributes_inherit_their_grade_and_one_without_any_is_an_error()
    {
        var catalog = CatalogDefinitions.Load(CatalogDefinitions.FindDirectory());
        Assert.All(catalog.Nodes.Where(n => n.Level == 5), n => Assert.True(n.Sensitivity is >= 1 and <= 4 && n.Importance is not null, n.Code));
        var reading = catalog.Nodes.Single(n => n.Code == "L5.utility.water.account.daily_reading.usage_m3");
        Assert.Equal((2, "general", "volume_m3"), (reading.Sensitivity, reading.Importance, reading.ElementCode));
        Assert.True(catalog.Nodes.Count(n => n.Level == 5) >= 300);
        Assert.Contains(catalog.CodeSets, c => c.Code == "division" && c.Values.Any(v => v is { Code: "340104", Name: "蜀山区", ParentCode: "340100" }));
        Assert.Equal(7, catalog.Grades.Count);

        var directory = TestDirectories.CopyCatalog("inherit");
        try
        {
            var file = Edit(directory, "architecture.yaml", "    sensitivity: 2\n    importance: general\n    description: 每户水表每日抄见读数及用量", "    description: 每户水表每日抄见读数及用量");
            var error = Assert.Throws<CatalogDefinitionException>(() => CatalogDefinitions.Load(directory));
            Assert.Equal(7, error.Problems.Count(p => p.FilePath == file && p.Field!.EndsWith("].sensitivity", StringComparison.Ordinal)));
        }
        finally
        {
            TestDirectories.Delete(Path.GetDirectoryName(directory)!);
        }
    }

    private static string Edit(string directory, string file, string original, string replacement)
    {
        var path = Path.Combine(directory, file);
        var text = File.ReadAllText(path);
        Assert.Contains(original, text, StringComparison.Ordinal);
        var index = text.IndexOf(original, StringComparison.Ordinal);
        File.WriteAllText(path, string.Concat(text.AsSpan(0, index), replacement, text.AsSpan(index + original.Length)));
        return path;
    }
}
