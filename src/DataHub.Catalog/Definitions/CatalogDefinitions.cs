using System.Globalization;
using System.Text.RegularExpressions;

namespace DataHub.Catalog;

/// <summary>
/// The catalog as code, read from a <c>catalog/</c> folder: <c>departments.yaml</c>, <c>grades.yaml</c>,
/// <c>elements.yaml</c>, <c>codesets/*.yaml</c>, the L1–L5 tree in <c>architecture.yaml</c> and
/// <c>architecture/*.yaml</c>, and one <c>datasets/&lt;schema.table&gt;.yaml</c> per dataset. Loading checks every
/// field and every reference (provider, parent node, element, code set, L4 and L5 codes, grades) and reports all
/// problems at once in a <see cref="CatalogDefinitionException"/>, each naming the file, line and field.
/// </summary>
public sealed partial class CatalogDefinitions
{
    /// <summary>The share types after 国发〔2016〕51号.</summary>
    public static readonly IReadOnlyList<string> ShareTypes = ["unconditional", "conditional", "not_shareable"];

    /// <summary>The importance grades after GB/T 43697-2024, most important first.</summary>
    public static readonly IReadOnlyList<string> Importances = ["core", "important", "general"];

    /// <summary>The update cycles a dataset may declare.</summary>
    public static readonly IReadOnlyList<string> UpdateCycles =
        ["realtime", "hourly", "daily", "weekly", "monthly", "quarterly", "yearly", "irregular"];

    /// <summary>The department kinds.</summary>
    public static readonly IReadOnlyList<string> DepartmentKinds = ["department", "utility"];

    /// <summary>The value types a data element may have.</summary>
    public static readonly IReadOnlyList<string> ElementTypes =
        ["string", "integer", "decimal", "date", "datetime", "time", "boolean", "binary"];

    private readonly Dictionary<string, DatasetDefinition> datasetsByName;

    private CatalogDefinitions(
        string directory,
        IReadOnlyList<DepartmentDefinition> departments,
        IReadOnlyList<GradeDefinition> grades,
        IReadOnlyList<CodeSetDefinition> codeSets,
        IReadOnlyList<DataElementDefinition> elements,
        IReadOnlyList<SubjectNodeDefinition> nodes,
        IReadOnlyList<DatasetDefinition> datasets)
    {
        Directory = directory;
        Departments = departments;
        Grades = grades;
        CodeSets = codeSets;
        Elements = elements;
        Nodes = nodes;
        Datasets = datasets;
        datasetsByName = datasets.ToDictionary(d => d.Name, StringComparer.Ordinal);
    }

    /// <summary>The folder the definitions were read from.</summary>
    public string Directory { get; }

    /// <summary>The departments in file order.</summary>
    public IReadOnlyList<DepartmentDefinition> Departments { get; }

    /// <summary>The sensitivity levels and importance grades from <c>grades.yaml</c> (empty when the file is absent).</summary>
    public IReadOnlyList<GradeDefinition> Grades { get; }

    /// <summary>The code sets ordered by code.</summary>
    public IReadOnlyList<CodeSetDefinition> CodeSets { get; }

    /// <summary>The data elements in file order.</summary>
    public IReadOnlyList<DataElementDefinition> Elements { get; }

    /// <summary>The architecture nodes, parents before children (by level, then file order).</summary>
    public IReadOnlyList<SubjectNodeDefinition> Nodes { get; }

    /// <summary>The datasets ordered by name.</summary>
    public IReadOnlyList<DatasetDefinition> Datasets { get; }

    /// <summary>Reads and checks the definitions in a catalog folder.</summary>
    /// <param name="directory">The folder holding <c>departments.yaml</c>, the architecture files and <c>datasets/</c>.</param>
    /// <exception cref="CatalogDefinitionException">
    /// A file is missing, malformed or inconsistent; <see cref="CatalogDefinitionException.Problems"/> lists every problem found.
    /// </exception>
    public static CatalogDefinitions Load(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        var root = Path.GetFullPath(directory);
        var problems = new CatalogProblems();
        var departments = ReadDepartments(Path.Combine(root, "departments.yaml"), problems);
        var grades = ReadGrades(Path.Combine(root, "grades.yaml"), problems);
        var codeSets = new Dictionary<string, CodeSetDefinition>(StringComparer.Ordinal);
        foreach (var file in YamlFiles(Path.Combine(root, "codesets")))
        {
            ReadCodeSet(file, codeSets, problems);
        }

        var elements = ReadElements(Path.Combine(root, "elements.yaml"), codeSets, problems);
        var nodeFiles = new List<string>();
        if (File.Exists(Path.Combine(root, "architecture.yaml")))
        {
            nodeFiles.Add(Path.Combine(root, "architecture.yaml"));
        }

        nodeFiles.AddRange(YamlFiles(Path.Combine(root, "architecture")));
        if (nodeFiles.Count == 0)
        {
            problems.Add(new CatalogDefinitionException(
                Path.Combine(root, "architecture.yaml"), 0, "(file)", "the file is missing (or put the tree in architecture/*.yaml)"));
        }

        var nodes = ReadNodes(nodeFiles, elements, problems);
        var datasets = new List<DatasetDefinition>();
        foreach (var file in YamlFiles(Path.Combine(root, "datasets")))
        {
            if (ReadDataset(file, departments, nodes, problems) is { } dataset)
            {
                datasets.Add(dataset);
            }
        }

        problems.ThrowIfAny();
        return new CatalogDefinitions(
            root,
            departments.Values.ToList(),
            grades,
            codeSets.Values.OrderBy(c => c.Code, StringComparer.Ordinal).ToList(),
            elements.Values.ToList(),
            OrderParentsFirst(nodes.Values),
            datasets);
    }

    /// <summary>
    /// Finds the repository's <c>catalog/</c> folder by walking up from a directory until a folder holding
    /// <c>catalog/departments.yaml</c> is found.
    /// </summary>
    /// <param name="startDirectory">Where to start; the application base directory when null.</param>
    /// <exception cref="DirectoryNotFoundException">No such folder above the start.</exception>
    public static string FindDirectory(string? startDirectory = null)
    {
        var start = Path.GetFullPath(startDirectory ?? AppContext.BaseDirectory);
        for (var current = new DirectoryInfo(start); current is not null; current = current.Parent)
        {
            var candidate = Path.Combine(current.FullName, "catalog");
            if (File.Exists(Path.Combine(candidate, "departments.yaml")))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException($"No catalog/departments.yaml found in {start} or any folder above it.");
    }

    /// <summary>The dataset with the given name.</summary>
    /// <param name="name">The lake table name.</param>
    /// <exception cref="KeyNotFoundException">No dataset has that name.</exception>
    public DatasetDefinition GetDataset(string name) =>
        TryGetDataset(name, out var dataset)
            ? dataset
            : throw new KeyNotFoundException($"The catalog in {Directory} has no dataset '{name}'.");

    /// <summary>Looks a dataset up by name.</summary>
    /// <param name="name">The lake table name.</param>
    /// <param name="dataset">The dataset, when found.</param>
    public bool TryGetDataset(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out DatasetDefinition? dataset) =>
        datasetsByName.TryGetValue(name, out dataset);

    private static void RequireNodeAtLevel(
        YamlMappingReader item, string key, string code, int level, Dictionary<string, SubjectNodeDefinition> nodes)
    {
        if (!nodes.TryGetValue(code, out var node))
        {
            throw item.Error(key, $"unknown architecture node '{code}' (see architecture.yaml)");
        }

        if (node.Level != level)
        {
            throw item.Error(key, $"'{code}' is a level {node.Level} node; expected level {level}");
        }
    }

    private static List<SubjectNodeDefinition> OrderParentsFirst(IEnumerable<SubjectNodeDefinition> nodes) =>
        nodes.Select((node, index) => (node, index)).OrderBy(x => x.node.Level).ThenBy(x => x.index).Select(x => x.node).ToList();

    [GeneratedRegex("^[a-z][a-z0-9_]*$")]
    private static partial Regex SimpleCode();

    [GeneratedRegex("^L[1-5](\\.[a-z0-9_]+)+$")]
    private static partial Regex NodeCode();

    [GeneratedRegex("^[a-z][a-z0-9_]*\\.[a-z][a-z0-9_]*$")]
    private static partial Regex DatasetName();

    [GeneratedRegex("^[a-z_][a-z0-9_]*$")]
    private static partial Regex ColumnName();

    [GeneratedRegex(
        "^(VARCHAR|TEXT|BOOLEAN|TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|REAL|FLOAT|DOUBLE|DATE|TIME|TIMESTAMP|TIMESTAMPTZ|UUID|BLOB|INTERVAL"
        + "|VARCHAR\\(\\d{1,5}\\)|DECIMAL\\(\\d{1,2}, ?\\d{1,2}\\))$",
        RegexOptions.IgnoreCase)]
    private static partial Regex ColumnType();
}
