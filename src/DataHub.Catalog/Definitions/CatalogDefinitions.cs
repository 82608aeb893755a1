using System.Globalization;
using System.Text.RegularExpressions;

namespace DataHub.Catalog;

/// <summary>
/// The catalog as code, read from a <c>catalog/</c> folder: <c>departments.yaml</c>, <c>architecture.yaml</c>
/// and one <c>datasets/&lt;schema.table&gt;.yaml</c> per dataset. Loading checks every field and every
/// reference (provider, parent node, L4 and L5 codes) and fails with a <see cref="CatalogDefinitionException"/>
/// naming the file, line and field.
/// </summary>
public sealed partial class CatalogDefinitions
{
    /// <summary>The share types after 国发〔2016〕51号.</summary>
    public static readonly IReadOnlyList<string> ShareTypes = ["unconditional", "conditional", "not_shareable"];

    /// <summary>The importance grades after GB/T 43697-2024.</summary>
    public static readonly IReadOnlyList<string> Importances = ["core", "important", "general"];

    /// <summary>The update cycles a dataset may declare.</summary>
    public static readonly IReadOnlyList<string> UpdateCycles =
        ["realtime", "hourly", "daily", "weekly", "monthly", "quarterly", "yearly", "irregular"];

    /// <summary>The department kinds.</summary>
    public static readonly IReadOnlyList<string> DepartmentKinds = ["department", "utility"];

    private readonly Dictionary<string, DatasetDefinition> datasetsByName;

    private CatalogDefinitions(
        string directory,
        IReadOnlyList<DepartmentDefinition> departments,
        IReadOnlyList<SubjectNodeDefinition> nodes,
        IReadOnlyList<DatasetDefinition> datasets)
    {
        Directory = directory;
        Departments = departments;
        Nodes = nodes;
        Datasets = datasets;
        datasetsByName = datasets.ToDictionary(d => d.Name, StringComparer.Ordinal);
    }

    /// <summary>The folder the definitions were read from.</summary>
    public string Directory { get; }

    /// <summary>The departments in file order.</summary>
    public IReadOnlyList<DepartmentDefinition> Departments { get; }

    /// <summary>The architecture nodes, parents before children (by level, then file order).</summary>
    public IReadOnlyList<SubjectNodeDefinition> Nodes { get; }

    /// <summary>The datasets ordered by name.</summary>
    public IReadOnlyList<DatasetDefinition> Datasets { get; }

    /// <summary>Reads and checks the definitions in a catalog folder.</summary>
    /// <param name="directory">The folder holding <c>departments.yaml</c>, <c>architecture.yaml</c> and <c>datasets/</c>.</param>
    /// <exception cref="CatalogDefinitionException">A file is missing, malformed or inconsistent.</exception>
    public static CatalogDefinitions Load(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        var root = Path.GetFullPath(directory);
        var departments = ReadDepartments(RequireFile(Path.Combine(root, "departments.yaml")));
        var nodes = ReadNodes(RequireFile(Path.Combine(root, "architecture.yaml")));
        var datasets = new List<DatasetDefinition>();
        var datasetDirectory = Path.Combine(root, "datasets");
        if (System.IO.Directory.Exists(datasetDirectory))
        {
            foreach (var file in System.IO.Directory.EnumerateFiles(datasetDirectory, "*.yaml").Order(StringComparer.Ordinal))
            {
                datasets.Add(ReadDataset(file, departments, nodes));
            }
        }

        return new CatalogDefinitions(root, departments.Values.ToList(), OrderParentsFirst(nodes.Values), datasets);
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

    private static string RequireFile(string file) =>
        File.Exists(file) ? file : throw new CatalogDefinitionException(file, 0, "(file)", "the file is missing");

    private static Dictionary<string, DepartmentDefinition> ReadDepartments(string file)
    {
        var document = YamlMappingReader.Load(file);
        document.RejectUnknownKeys("departments");
        var departments = new Dictionary<string, DepartmentDefinition>(StringComparer.Ordinal);
        foreach (var item in document.RequireMappings("departments"))
        {
            item.RejectUnknownKeys("code", "name", "kind");
            var code = item.RequireString("code");
            if (!SimpleCode().IsMatch(code))
            {
                throw item.Error("code", $"'{code}' must be lower-case letters, digits and underscores, starting with a letter");
            }

            if (!departments.TryAdd(code, new DepartmentDefinition(code, item.RequireString("name"), item.RequireOneOf("kind", DepartmentKinds))))
            {
                throw item.Error("code", $"department '{code}' is defined twice");
            }
        }

        return departments;
    }

    private static Dictionary<string, SubjectNodeDefinition> ReadNodes(string file)
    {
        var document = YamlMappingReader.Load(file);
        document.RejectUnknownKeys("nodes");
        var nodes = new Dictionary<string, SubjectNodeDefinition>(StringComparer.Ordinal);
        var readers = new Dictionary<string, YamlMappingReader>(StringComparer.Ordinal);
        foreach (var item in document.RequireMappings("nodes"))
        {
            item.RejectUnknownKeys("code", "level", "parent", "name", "description");
            var code = item.RequireString("code");
            var level = item.RequireInt("level", 1, 5);
            if (!NodeCode().IsMatch(code) || !code.StartsWith(string.Create(CultureInfo.InvariantCulture, $"L{level}."), StringComparison.Ordinal))
            {
                throw item.Error("code", $"'{code}' must look like L{level}.segment.segment (lower-case segments) for a level {level} node");
            }

            var parent = item.OptionalString("parent");
            if (level == 1 && parent is not null)
            {
                throw item.Error("parent", "an L1 node has no parent");
            }

            if (level > 1 && parent is null)
            {
                throw item.Error("parent", $"required field is missing for a level {level} node");
            }

            if (!nodes.TryAdd(code, new SubjectNodeDefinition(code, level, item.RequireString("name"), parent, item.OptionalString("description"))))
            {
                throw item.Error("code", $"node '{code}' is defined twice");
            }

            readers[code] = item;
        }

        foreach (var node in nodes.Values.Where(n => n.ParentCode is not null))
        {
            if (!nodes.TryGetValue(node.ParentCode!, out var parent))
            {
                throw readers[node.Code].Error("parent", $"unknown parent code '{node.ParentCode}'");
            }

            if (parent.Level != node.Level - 1)
            {
                throw readers[node.Code].Error(
                    "parent", $"parent '{parent.Code}' is at level {parent.Level}; a level {node.Level} node needs a level {node.Level - 1} parent");
            }
        }

        return nodes;
    }

    private static DatasetDefinition ReadDataset(
        string file,
        Dictionary<string, DepartmentDefinition> departments,
        Dictionary<string, SubjectNodeDefinition> nodes)
    {
        var item = YamlMappingReader.Load(file);
        item.RejectUnknownKeys(
            "name", "title", "resource_code", "provider", "abstract", "update_cycle", "share_type", "share_condition",
            "open_attribute", "sensitivity", "importance", "l4", "columns");
        var name = item.RequireString("name");
        if (!DatasetName().IsMatch(name))
        {
            throw item.Error("name", $"'{name}' must be schema.table in lower-case letters, digits and underscores");
        }

        if (!string.Equals(Path.GetFileNameWithoutExtension(file), name, StringComparison.Ordinal))
        {
            throw item.Error("name", $"'{name}' does not match the file name; name the file {name}.yaml");
        }

        var provider = item.RequireString("provider");
        if (!departments.ContainsKey(provider))
        {
            throw item.Error("provider", $"unknown department code '{provider}' (see departments.yaml)");
        }

        var shareType = item.RequireOneOf("share_type", ShareTypes);
        var shareCondition = item.OptionalString("share_condition");
        if (shareType != "unconditional" && shareCondition is null)
        {
            throw item.Error(
                "share_condition",
                shareType == "conditional"
                    ? "conditional sharing must state its condition"
                    : "a dataset that is not shareable must state the legal basis");
        }

        var l4 = item.OptionalString("l4");
        if (l4 is not null)
        {
            RequireNodeAtLevel(item, "l4", l4, 4, nodes);
        }

        return new DatasetDefinition(
            name,
            item.RequireString("title"),
            item.OptionalString("resource_code"),
            provider,
            item.OptionalString("abstract"),
            item.OptionalOneOf("update_cycle", UpdateCycles),
            shareType,
            shareCondition,
            item.OptionalString("open_attribute"),
            item.RequireInt("sensitivity", 1, 4),
            item.RequireOneOf("importance", Importances),
            l4,
            ReadColumns(item, nodes),
            file);
    }

    private static List<DatasetColumnDefinition> ReadColumns(YamlMappingReader dataset, Dictionary<string, SubjectNodeDefinition> nodes)
    {
        var columns = new List<DatasetColumnDefinition>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        var sources = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in dataset.RequireMappings("columns"))
        {
            item.RejectUnknownKeys("name", "type", "source", "l5", "description");
            var name = item.RequireString("name");
            if (!ColumnName().IsMatch(name))
            {
                throw item.Error("name", $"'{name}' must be lower-case letters, digits and underscores, not starting with a digit");
            }

            if (!names.Add(name))
            {
                throw item.Error("name", $"column '{name}' appears twice");
            }

            var type = item.RequireString("type");
            if (!ColumnType().IsMatch(type))
            {
                throw item.Error("type", $"'{type}' is not a supported DuckDB type (e.g. VARCHAR, BIGINT, DOUBLE, DATE, TIMESTAMP, DECIMAL(12,2))");
            }

            var source = item.OptionalString("source");
            if (source is not null && !sources.Add(source))
            {
                throw item.Error("source", $"source header '{source}' is mapped twice");
            }

            var l5 = item.OptionalString("l5");
            if (l5 is not null)
            {
                RequireNodeAtLevel(item, "l5", l5, 5, nodes);
            }

            columns.Add(new DatasetColumnDefinition(columns.Count + 1, name, type, source, l5, item.OptionalString("description")));
        }

        return columns;
    }

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
