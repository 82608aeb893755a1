using System.Globalization;

namespace DataHub.Catalog;

/// <summary>The readers of the single catalog files; each records its problems and carries on.</summary>
public sealed partial class CatalogDefinitions
{
    private static IEnumerable<string> YamlFiles(string folder) =>
        System.IO.Directory.Exists(folder)
            ? System.IO.Directory.EnumerateFiles(folder, "*.yaml").Order(StringComparer.Ordinal)
            : [];

    private static YamlMappingReader? LoadFile(string file, CatalogProblems problems, bool required)
    {
        if (!File.Exists(file))
        {
            if (required)
            {
                problems.Add(new CatalogDefinitionException(file, 0, "(file)", "the file is missing"));
            }

            return null;
        }

        return problems.Try(() => YamlMappingReader.Load(file));
    }

    private static IReadOnlyList<YamlMappingReader> Items(YamlMappingReader document, string key, CatalogProblems problems) =>
        problems.Try(() => document.RequireMappings(key)) ?? [];

    private static string RequireSimpleCode(YamlMappingReader item, string key)
    {
        var code = item.RequireString(key);
        return SimpleCode().IsMatch(code)
            ? code
            : throw item.Error(key, $"'{code}' must be lower-case letters, digits and underscores, starting with a letter");
    }

    private static Dictionary<string, DepartmentDefinition> ReadDepartments(string file, CatalogProblems problems)
    {
        var departments = new Dictionary<string, DepartmentDefinition>(StringComparer.Ordinal);
        if (LoadFile(file, problems, required: true) is not { } document)
        {
            return departments;
        }

        problems.Check(() => document.RejectUnknownKeys("departments"));
        foreach (var item in Items(document, "departments", problems))
        {
            problems.Check(() => item.RejectUnknownKeys("code", "name", "kind"));
            var code = problems.Try(() => RequireSimpleCode(item, "code"));
            var name = problems.Try(() => item.RequireString("name"));
            var kind = problems.Try(() => item.RequireOneOf("kind", DepartmentKinds));
            if (code is not null && name is not null && kind is not null
                && !departments.TryAdd(code, new DepartmentDefinition(code, name, kind)))
            {
                problems.Add(item.Error("code", $"department '{code}' is defined twice"));
            }
        }

        return departments;
    }

    private static List<GradeDefinition> ReadGrades(string file, CatalogProblems problems)
    {
        var grades = new List<GradeDefinition>();
        if (LoadFile(file, problems, required: false) is not { } document)
        {
            return grades;
        }

        problems.Check(() => document.RejectUnknownKeys("sensitivity", "importance"));
        var levels = new HashSet<int>();
        foreach (var item in Items(document, "sensitivity", problems))
        {
            problems.Check(() => item.RejectUnknownKeys("level", "name", "description"));
            var level = problems.Try(() => (int?)item.RequireInt("level", 1, 4));
            var name = problems.Try(() => item.RequireString("name"));
            if (level is { } l && name is not null)
            {
                if (levels.Add(l))
                {
                    grades.Add(new GradeDefinition("sensitivity", l.ToString(CultureInfo.InvariantCulture), name, item.OptionalString("description")));
                }
                else
                {
                    problems.Add(item.Error("level", $"level {l} is defined twice"));
                }
            }
        }

        var codes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in Items(document, "importance", problems))
        {
            problems.Check(() => item.RejectUnknownKeys("code", "name", "description"));
            var code = problems.Try(() => item.RequireOneOf("code", Importances));
            var name = problems.Try(() => item.RequireString("name"));
            if (code is not null && name is not null)
            {
                if (codes.Add(code))
                {
                    grades.Add(new GradeDefinition("importance", code, name, item.OptionalString("description")));
                }
                else
                {
                    problems.Add(item.Error("code", $"grade '{code}' is defined twice"));
                }
            }
        }

        return grades;
    }

    private static void ReadCodeSet(string file, Dictionary<string, CodeSetDefinition> codeSets, CatalogProblems problems)
    {
        if (LoadFile(file, problems, required: true) is not { } document)
        {
            return;
        }

        problems.Check(() => document.RejectUnknownKeys("code", "name", "standard", "description", "values"));
        var code = problems.Try(() => RequireSimpleCode(document, "code"));
        if (code is not null && !string.Equals(Path.GetFileNameWithoutExtension(file), code, StringComparison.Ordinal))
        {
            problems.Add(document.Error("code", $"'{code}' does not match the file name; name the file {code}.yaml"));
        }

        var name = problems.Try(() => document.RequireString("name"));
        var values = new List<CodeValueDefinition>();
        var readers = new Dictionary<string, YamlMappingReader>(StringComparer.Ordinal);
        foreach (var item in Items(document, "values", problems))
        {
            problems.Check(() => item.RejectUnknownKeys("code", "name", "parent"));
            var value = problems.Try(() => item.RequireString("code"));
            var meaning = problems.Try(() => item.RequireString("name"));
            if (value is null || meaning is null)
            {
                continue;
            }

            if (!readers.TryAdd(value, item))
            {
                problems.Add(item.Error("code", $"code '{value}' appears twice"));
                continue;
            }

            values.Add(new CodeValueDefinition(value, meaning, item.OptionalString("parent")));
        }

        foreach (var value in values.Where(v => v.ParentCode is not null && !readers.ContainsKey(v.ParentCode)))
        {
            problems.Add(readers[value.Code].Error("parent", $"unknown parent code '{value.ParentCode}' in this code set"));
        }

        if (code is null || name is null)
        {
            return;
        }

        if (!codeSets.TryAdd(code, new CodeSetDefinition(code, name, document.OptionalString("standard"), document.OptionalString("description"), values)))
        {
            problems.Add(document.Error("code", $"code set '{code}' is defined twice"));
        }
    }

    private static Dictionary<string, DataElementDefinition> ReadElements(
        string file, Dictionary<string, CodeSetDefinition> codeSets, CatalogProblems problems)
    {
        var elements = new Dictionary<string, DataElementDefinition>(StringComparer.Ordinal);
        if (LoadFile(file, problems, required: false) is not { } document)
        {
            return elements;
        }

        problems.Check(() => document.RejectUnknownKeys("elements"));
        foreach (var item in Items(document, "elements", problems))
        {
            problems.Check(() => item.RejectUnknownKeys("code", "name", "type", "length", "format", "code_set", "unit", "description"));
            var code = problems.Try(() => RequireSimpleCode(item, "code"));
            var name = problems.Try(() => item.RequireString("name"));
            var type = problems.Try(() => item.RequireOneOf("type", ElementTypes));
            var length = problems.Try(() => item.OptionalInt("length", 1, 100_000));
            var codeSet = problems.Try(() => item.OptionalString("code_set"));
            if (codeSet is not null && !codeSets.ContainsKey(codeSet))
            {
                problems.Add(item.Error("code_set", $"unknown code set '{codeSet}' (see codesets/)"));
            }

            if (code is null || name is null || type is null)
            {
                continue;
            }

            var element = new DataElementDefinition(
                code, name, type, length, item.OptionalString("format"), codeSet, item.OptionalString("unit"), item.OptionalString("description"));
            if (!elements.TryAdd(code, element))
            {
                problems.Add(item.Error("code", $"data element '{code}' is defined twice"));
            }
        }

        return elements;
    }

    private static Dictionary<string, SubjectNodeDefinition> ReadNodes(
        IEnumerable<string> files, Dictionary<string, DataElementDefinition> elements, CatalogProblems problems)
    {
        var nodes = new Dictionary<string, SubjectNodeDefinition>(StringComparer.Ordinal);
        var readers = new Dictionary<string, YamlMappingReader>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            if (LoadFile(file, problems, required: true) is not { } document)
            {
                continue;
            }

            problems.Check(() => document.RejectUnknownKeys("nodes"));
            foreach (var item in Items(document, "nodes", problems))
            {
                if (ReadNode(item, elements, problems) is not { } node)
                {
                    continue;
                }

                if (nodes.TryAdd(node.Code, node))
                {
                    readers[node.Code] = item;
                }
                else
                {
                    problems.Add(item.Error("code", $"node '{node.Code}' is defined twice (also in {Path.GetFileName(nodes[node.Code].SourceFile)})"));
                }
            }
        }

        var linked = new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in nodes.Values)
        {
            if (node.ParentCode is null)
            {
                linked.Add(node.Code);
            }
            else if (!nodes.TryGetValue(node.ParentCode, out var parent))
            {
                problems.Add(readers[node.Code].Error("parent", $"unknown parent code '{node.ParentCode}'"));
            }
            else if (parent.Level != node.Level - 1)
            {
                problems.Add(readers[node.Code].Error(
                    "parent", $"parent '{parent.Code}' is at level {parent.Level}; a level {node.Level} node needs a level {node.Level - 1} parent"));
            }
            else
            {
                linked.Add(node.Code);
            }
        }

        // Every L5 attribute is classified and graded: by itself or by its nearest ancestor.
        foreach (var node in nodes.Values.Where(n => n.Level == 5).ToList())
        {
            var sensitivity = node.Sensitivity;
            var importance = node.Importance;
            for (var up = node; up.ParentCode is not null && linked.Contains(up.Code) && (sensitivity is null || importance is null);)
            {
                up = nodes[up.ParentCode];
                sensitivity ??= up.Sensitivity;
                importance ??= up.Importance;
            }

            if (sensitivity is null || importance is null)
            {
                if (linked.Contains(node.Code))
                {
                    problems.Add(readers[node.Code].Error(
                        sensitivity is null ? "sensitivity" : "importance",
                        "an L5 attribute needs a sensitivity level and an importance grade, on itself or on an ancestor"));
                }

                continue;
            }

            nodes[node.Code] = node with { Sensitivity = sensitivity, Importance = importance };
        }

        return nodes;
    }

    private static SubjectNodeDefinition? ReadNode(
        YamlMappingReader item, Dictionary<string, DataElementDefinition> elements, CatalogProblems problems)
    {
        problems.Check(() => item.RejectUnknownKeys("code", "level", "parent", "name", "description", "element", "sensitivity", "importance"));
        var level = problems.Try(() => (int?)item.RequireInt("level", 1, 5));
        var code = problems.Try(() => item.RequireString("code"));
        if (code is not null && level is { } l
            && (!NodeCode().IsMatch(code) || !code.StartsWith(string.Create(CultureInfo.InvariantCulture, $"L{l}."), StringComparison.Ordinal)))
        {
            problems.Add(item.Error("code", $"'{code}' must look like L{l}.segment.segment (lower-case segments) for a level {l} node"));
            code = null;
        }

        var parent = problems.Try(() => item.OptionalString("parent"));
        if (level == 1 && parent is not null)
        {
            problems.Add(item.Error("parent", "an L1 node has no parent"));
        }
        else if (level > 1 && parent is null)
        {
            problems.Add(item.Error("parent", $"required field is missing for a level {level} node"));
        }

        var element = problems.Try(() => item.OptionalString("element"));
        if (element is not null && level != 5)
        {
            problems.Add(item.Error("element", "only an L5 attribute refers to a data element"));
        }
        else if (element is not null && !elements.ContainsKey(element))
        {
            problems.Add(item.Error("element", $"unknown data element '{element}' (see elements.yaml)"));
        }

        var name = problems.Try(() => item.RequireString("name"));
        var sensitivity = problems.Try(() => item.OptionalInt("sensitivity", 1, 4));
        var importance = problems.Try(() => item.OptionalOneOf("importance", Importances));
        return code is null || level is null || name is null
            ? null
            : new SubjectNodeDefinition(code, level.Value, name, parent, item.OptionalString("description"), element, sensitivity, importance, item.File);
    }

    private static DatasetDefinition? ReadDataset(
        string file,
        Dictionary<string, DepartmentDefinition> departments,
        Dictionary<string, SubjectNodeDefinition> nodes,
        CatalogProblems problems)
    {
        if (LoadFile(file, problems, required: true) is not { } item)
        {
            return null;
        }

        problems.Check(() => item.RejectUnknownKeys(
            "name", "title", "resource_code", "provider", "abstract", "update_cycle", "share_type", "share_condition",
            "open_attribute", "publication_date", "sensitivity", "importance", "l4", "columns"));
        var name = problems.Try(() => item.RequireString("name"));
        if (name is not null && !DatasetName().IsMatch(name))
        {
            problems.Add(item.Error("name", $"'{name}' must be schema.table in lower-case letters, digits and underscores"));
        }
        else if (name is not null && !string.Equals(Path.GetFileNameWithoutExtension(file), name, StringComparison.Ordinal))
        {
            problems.Add(item.Error("name", $"'{name}' does not match the file name; name the file {name}.yaml"));
        }

        var title = problems.Try(() => item.RequireString("title"));
        var provider = problems.Try(() => item.RequireString("provider"));
        if (provider is not null && !departments.ContainsKey(provider))
        {
            problems.Add(item.Error("provider", $"unknown department code '{provider}' (see departments.yaml)"));
        }

        var shareType = problems.Try(() => item.RequireOneOf("share_type", ShareTypes));
        var shareCondition = problems.Try(() => item.OptionalString("share_condition"));
        if (shareType is not null and not "unconditional" && shareCondition is null)
        {
            problems.Add(item.Error(
                "share_condition",
                shareType == "conditional"
                    ? "conditional sharing must state its condition"
                    : "a dataset that is not shareable must state the legal basis"));
        }

        var l4 = problems.Try(() => item.OptionalString("l4"));
        if (l4 is not null)
        {
            problems.Check(() => RequireNodeAtLevel(item, "l4", l4, 4, nodes));
        }

        var updateCycle = problems.Try(() => item.OptionalOneOf("update_cycle", UpdateCycles));
        var published = problems.Try(() => item.OptionalDate("publication_date"));
        var sensitivity = problems.Try(() => (int?)item.RequireInt("sensitivity", 1, 4));
        var importance = problems.Try(() => item.RequireOneOf("importance", Importances));
        var columns = ReadColumns(item, nodes, problems);

        // A dataset is graded at least as high as its most sensitive (and most important) column.
        var graded = columns.Where(c => c.L5NodeCode is not null && nodes.ContainsKey(c.L5NodeCode))
            .Select(c => (Column: c, Node: nodes[c.L5NodeCode!])).ToList();
        if (sensitivity is { } level && graded.Where(g => g.Node.Sensitivity > level).OrderByDescending(g => g.Node.Sensitivity).FirstOrDefault() is { Column: not null } top)
        {
            problems.Add(item.Error(
                "sensitivity",
                $"level {level} is below column '{top.Column.Name}' ({top.Node.Code}, level {top.Node.Sensitivity}); a dataset is graded at least as its most sensitive column"));
        }

        if (importance is not null
            && graded.Where(g => g.Node.Importance is not null && ImportanceRank(g.Node.Importance) < ImportanceRank(importance))
                .OrderBy(g => ImportanceRank(g.Node.Importance!)).FirstOrDefault() is { Column: not null } core)
        {
            problems.Add(item.Error(
                "importance",
                $"'{importance}' is below column '{core.Column.Name}' ({core.Node.Code}, {core.Node.Importance}); a dataset is graded at least as its most important column"));
        }

        if (name is null || title is null || provider is null || shareType is null || sensitivity is null || importance is null)
        {
            return null;
        }

        return new DatasetDefinition(
            name,
            title,
            item.OptionalString("resource_code"),
            provider,
            item.OptionalString("abstract"),
            updateCycle,
            shareType,
            shareCondition,
            item.OptionalString("open_attribute"),
            sensitivity.Value,
            importance,
            l4,
            columns,
            file,
            published);
    }

    /// <summary>0 for core, 1 for important, 2 for general.</summary>
    internal static int ImportanceRank(string importance) =>
        Importances.Select((grade, index) => (grade, index)).First(x => string.Equals(x.grade, importance, StringComparison.Ordinal)).index;

    private static List<DatasetColumnDefinition> ReadColumns(
        YamlMappingReader dataset, Dictionary<string, SubjectNodeDefinition> nodes, CatalogProblems problems)
    {
        var columns = new List<DatasetColumnDefinition>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        var sources = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in Items(dataset, "columns", problems))
        {
            problems.Check(() => item.RejectUnknownKeys("name", "type", "source", "l5", "description"));
            var name = problems.Try(() => item.RequireString("name"));
            if (name is not null && !ColumnName().IsMatch(name))
            {
                problems.Add(item.Error("name", $"'{name}' must be lower-case letters, digits and underscores, not starting with a digit"));
            }
            else if (name is not null && !names.Add(name))
            {
                problems.Add(item.Error("name", $"column '{name}' appears twice"));
            }

            var type = problems.Try(() => item.RequireString("type"));
            if (type is not null && !ColumnType().IsMatch(type))
            {
                problems.Add(item.Error("type", $"'{type}' is not a supported DuckDB type (e.g. VARCHAR, BIGINT, DOUBLE, DATE, TIMESTAMP, DECIMAL(12,2))"));
            }

            var source = problems.Try(() => item.OptionalString("source"));
            if (source is not null && !sources.Add(source))
            {
                problems.Add(item.Error("source", $"source header '{source}' is mapped twice"));
            }

            var l5 = problems.Try(() => item.OptionalString("l5"));
            if (l5 is not null)
            {
                problems.Check(() => RequireNodeAtLevel(item, "l5", l5, 5, nodes));
            }

            columns.Add(new DatasetColumnDefinition(columns.Count + 1, name ?? string.Empty, type ?? string.Empty, source, l5, item.OptionalString("description")));
        }

        return columns;
    }
}
