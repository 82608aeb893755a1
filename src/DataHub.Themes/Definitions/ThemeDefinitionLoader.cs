using System.Globalization;
using System.Text.RegularExpressions;
using DataHub.Catalog;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace DataHub.Themes.Definitions;

/// <summary>
/// Reads <c>catalog/themes/*.yaml</c> and checks each against the catalog: the datasets exist, every column named
/// exists, each field has a source, priorities name sources that supply the field. Every problem of every file is
/// reported at once, as <c>file:line: field: problem</c>.
/// </summary>
public static partial class ThemeDefinitionLoader
{
    private static readonly string[] TopKeys = ["name", "title", "table", "key", "sources", "fields", "history"];
    private static readonly string[] SourceKeys = ["id", "dataset", "key", "observed_at", "fields", "where", "each", "old_numbers_from"];
    private static readonly string[] RoleKeys = ["key", "fields", "where"];
    private static readonly string[] ValueKeys = ["column", "map", "concat", "value"];
    private static readonly string[] HistoryKeys = ["table", "events"];
    private static readonly string[] EventKeys = ["source", "event", "date", "where", "after"];
    private static readonly string[] FieldKeys = ["name", "type", "pick", "priority", "conflicts", "standard_address"];

    /// <summary>Reads every <c>*.yaml</c> of a folder (none when the folder does not exist).</summary>
    /// <param name="directory">Such as <c>catalog/themes</c>.</param>
    /// <param name="catalog">The catalog the sources must be in.</param>
    /// <exception cref="ThemeDefinitionException">Any file is invalid.</exception>
    public static IReadOnlyList<ThemeDefinition> LoadDirectory(string directory, CatalogDefinitions catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        if (!Directory.Exists(directory))
        {
            return [];
        }

        var problems = new List<string>();
        var themes = new List<ThemeDefinition>();
        foreach (var file in Directory.EnumerateFiles(directory, "*.yaml").Order(StringComparer.Ordinal))
        {
            if (Read(file, catalog, problems) is { } theme)
            {
                themes.Add(theme);
            }
        }

        foreach (var duplicate in themes.GroupBy(t => t.Table, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            problems.Add($"{duplicate.Last().SourceFile}:1: table: {duplicate.Key} is built by more than one theme");
        }

        return problems.Count == 0 ? themes : throw new ThemeDefinitionException(problems);
    }

    /// <summary>Reads one definition file.</summary>
    /// <param name="file">The YAML file.</param>
    /// <param name="catalog">The catalog the sources must be in.</param>
    /// <exception cref="ThemeDefinitionException">The file is invalid.</exception>
    public static ThemeDefinition Load(string file, CatalogDefinitions catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var problems = new List<string>();
        var theme = Read(file, catalog, problems);
        return problems.Count == 0 && theme is not null ? theme : throw new ThemeDefinitionException(problems);
    }

    private static ThemeDefinition? Read(string file, CatalogDefinitions catalog, List<string> problems)
    {
        var before = problems.Count;
        void Problem(YamlNode? node, string field, string message) =>
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"{file}:{node?.Start.Line ?? 1}: {field}: {message}"));

        YamlMappingNode root;
        try
        {
            using var reader = new StreamReader(file);
            var stream = new YamlStream();
            stream.Load(reader);
            if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode mapping)
            {
                Problem(null, "(file)", "the file holds one mapping: name, title, table, key, sources, fields");
                return null;
            }

            root = mapping;
        }
        catch (YamlException e)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"{file}:{e.Start.Line}: (syntax): {e.Message}"));
            return null;
        }

        Unknown(root, TopKeys, string.Empty, Problem);
        var name = Text(root, "name", Problem, required: true, pattern: Identifier());
        var title = Text(root, "title", Problem, required: true);
        var table = Text(root, "table", Problem, required: true, pattern: TableName());
        string? keyField = null;
        var keyKind = ThemeKeyKind.CitizenId;
        if (Child(root, "key") is YamlMappingNode key)
        {
            Unknown(key, ["field", "kind"], "key.", Problem);
            keyField = Text(key, "field", Problem, required: true, pattern: Identifier(), prefix: "key.");
            switch (Text(key, "kind", Problem, required: true, prefix: "key."))
            {
                case "citizen_id": keyKind = ThemeKeyKind.CitizenId; break;
                case "credit_code": keyKind = ThemeKeyKind.CreditCode; break;
                case { } other: Problem(Child(key, "kind"), "key.kind", $"'{other}' is not citizen_id or credit_code"); break;
            }
        }
        else
        {
            Problem(Child(root, "key") ?? root, "key", "give the key as {field, kind}");
        }

        var sources = new List<ThemeSource>();
        if (Child(root, "sources") is YamlSequenceNode sourceNodes && sourceNodes.Children.Count > 0)
        {
            for (var i = 0; i < sourceNodes.Children.Count; i++)
            {
                var at = string.Create(CultureInfo.InvariantCulture, $"sources[{i}].");
                if (sourceNodes.Children[i] is not YamlMappingNode s)
                {
                    Problem(sourceNodes.Children[i], at.TrimEnd('.'), "a source is a mapping: id, dataset, key, observed_at, fields, where");
                    continue;
                }

                if (ReadSource(s, at, catalog, Problem) is { } source)
                {
                    if (sources.Any(o => o.Id == source.Id))
                    {
                        Problem(Child(s, "id"), at + "id", $"'{source.Id}' is used by another source");
                    }

                    sources.Add(source);
                }
            }
        }
        else
        {
            Problem(Child(root, "sources") ?? root, "sources", "list at least one source");
        }

        foreach (var source in sources.Where(s => s.OldNumbersFrom is not null))
        {
            var index = sources.IndexOf(source);
            if (keyKind != ThemeKeyKind.CreditCode)
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture, $"{file}:{source.Line}: sources.{source.Id}.old_numbers_from: old taxpayer numbers stand for credit codes; the key kind is not credit_code"));
            }
            else if (sources.FindIndex(o => o.Id == source.OldNumbersFrom) is var resolver && (resolver < 0 || resolver >= index))
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture, $"{file}:{source.Line}: sources.{source.Id}.old_numbers_from: '{source.OldNumbersFrom}' is not a source listed before this one"));
            }
        }

        ThemeHistory? history = null;
        if (Child(root, "history") is { } historyNode)
        {
            history = ReadHistory(historyNode, sources, catalog, table, Problem);
        }

        var fields = new List<ThemeField>();
        if (Child(root, "fields") is YamlSequenceNode fieldNodes && fieldNodes.Children.Count > 0)
        {
            for (var i = 0; i < fieldNodes.Children.Count; i++)
            {
                var at = string.Create(CultureInfo.InvariantCulture, $"fields[{i}].");
                if (fieldNodes.Children[i] is not YamlMappingNode f)
                {
                    Problem(fieldNodes.Children[i], at.TrimEnd('.'), "a field is a mapping: name, type, pick, priority, conflicts, standard_address");
                    continue;
                }

                Unknown(f, FieldKeys, at, Problem);
                var fieldName = Text(f, "name", Problem, required: true, pattern: Identifier(), prefix: at);
                var type = Text(f, "type", Problem, required: true, pattern: SafeType(), prefix: at);
                var pick = Text(f, "pick", Problem, required: false, prefix: at) switch
                {
                    null or "priority" => ThemePick.Priority,
                    "recency" => ThemePick.Recency,
                    var other => Bad(() => Problem(Child(f, "pick"), at + "pick", $"'{other}' is not priority or recency"), ThemePick.Priority),
                };
                var conflicts = Text(f, "conflicts", Problem, required: false, prefix: at) switch
                {
                    null or "true" => true,
                    "false" => false,
                    var other => Bad(() => Problem(Child(f, "conflicts"), at + "conflicts", $"'{other}' is not true or false"), true),
                };
                var priority = new List<string>();
                if (Child(f, "priority") is YamlSequenceNode list && list.Children.Count > 0)
                {
                    foreach (var item in list.Children)
                    {
                        var id = (item as YamlScalarNode)?.Value ?? string.Empty;
                        var source = sources.FirstOrDefault(s => s.Id == id);
                        if (source is null)
                        {
                            Problem(item, at + "priority", $"'{id}' is not a source of this theme");
                        }
                        else if (fieldName is not null && !source.Fields.ContainsKey(fieldName))
                        {
                            Problem(item, at + "priority", $"source '{id}' does not supply {fieldName} (add it to the source's fields)");
                        }
                        else if (priority.Contains(id))
                        {
                            Problem(item, at + "priority", $"'{id}' is listed twice");
                        }
                        else
                        {
                            priority.Add(id);
                        }
                    }
                }
                else
                {
                    Problem(Child(f, "priority") ?? f, at + "priority", "list the sources that may supply this field, best first");
                }

                if (fieldName is not null && (fieldName == keyField || fields.Any(o => o.Name == fieldName)))
                {
                    Problem(Child(f, "name"), at + "name", $"'{fieldName}' is already a column of the theme");
                }

                var link = Text(f, "standard_address", Problem, required: false, pattern: Identifier(), prefix: at);
                if (link is not null && type is not null && !type.Equals("VARCHAR", StringComparison.OrdinalIgnoreCase))
                {
                    Problem(Child(f, "standard_address"), at + "standard_address", $"only a VARCHAR field holds an address to geocode; {fieldName} is {type}");
                    link = null;
                }

                if (fieldName is not null && type is not null)
                {
                    fields.Add(new ThemeField(fieldName, type, pick, priority, conflicts, (int)f.Start.Line) { StandardAddress = link });
                }
            }
        }
        else
        {
            Problem(Child(root, "fields") ?? root, "fields", "list at least one field");
        }

        // The link columns of geocoded fields are columns of the theme table too: no two columns may share a name.
        var taken = new HashSet<string>(StringComparer.Ordinal) { keyField ?? string.Empty, "sources" };
        taken.UnionWith(fields.SelectMany(f => new[] { f.Name, f.Name + "__source", f.Name + "__snapshot" }));
        foreach (var field in fields.Where(f => f.StandardAddress is not null))
        {
            foreach (var (column, _, _) in field.LinkColumns.Where(c => !taken.Add(c.Name)))
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture, $"{file}:{field.Line}: fields.{field.Name}.standard_address: its link column '{column}' is already a column of the theme"));
            }
        }

        foreach (var source in sources)
        {
            foreach (var field in source.Fields.Keys.Where(k => fields.All(f => f.Name != k)))
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture, $"{file}:{source.Line}: sources.{source.Id}.fields: '{field}' is not a field of the theme"));
            }
        }

        return problems.Count > before || name is null || title is null || table is null || keyField is null
            ? null
            : new ThemeDefinition(name, title, table, keyField, keyKind, sources, fields, file) { History = history };
    }

    private static ThemeHistory? ReadHistory(YamlNode node, List<ThemeSource> sources, CatalogDefinitions catalog, string? themeTable, Action<YamlNode?, string, string> problem)
    {
        if (node is not YamlMappingNode map)
        {
            problem(node, "history", "a mapping: table, events");
            return null;
        }

        Unknown(map, HistoryKeys, "history.", problem);
        var table = Text(map, "table", problem, required: true, pattern: TableName(), prefix: "history.");
        if (table is not null && (table == themeTable || table == themeTable + "_conflicts"))
        {
            problem(Child(map, "table"), "history.table", $"{table} is already a table of the theme");
        }

        var events = new List<ThemeEvent>();
        if (Child(map, "events") is not YamlSequenceNode list || list.Children.Count == 0)
        {
            problem(Child(map, "events") ?? map, "history.events", "list at least one event: {source, event, date[, where][, after]}");
            return null;
        }

        for (var i = 0; i < list.Children.Count; i++)
        {
            var at = string.Create(CultureInfo.InvariantCulture, $"history.events[{i}].");
            if (list.Children[i] is not YamlMappingNode e)
            {
                problem(list.Children[i], at.TrimEnd('.'), "an event is a mapping: source, event, date, where, after");
                continue;
            }

            Unknown(e, EventKeys, at, problem);
            var sourceId = Text(e, "source", problem, required: true, prefix: at);
            var name = Text(e, "event", problem, required: true, pattern: Identifier(), prefix: at);
            var source = sources.FirstOrDefault(s => s.Id == sourceId);
            if (sourceId is not null && source is null)
            {
                problem(Child(e, "source"), at + "source", $"'{sourceId}' is not a source of this theme");
            }

            catalog.TryGetDataset(source?.Dataset ?? string.Empty, out var dataset);
            string? DateColumn(string key, bool required)
            {
                var column = Text(e, key, problem, required, prefix: at);
                if (column is not null && dataset is not null)
                {
                    if (dataset.Columns.FirstOrDefault(c => c.Name == column) is not { } found)
                    {
                        problem(Child(e, key), at + key, $"{dataset.Name} has no column '{column}'");
                    }
                    else if (!(found.DataType.Equals("DATE", StringComparison.OrdinalIgnoreCase) || found.DataType.StartsWith("TIMESTAMP", StringComparison.OrdinalIgnoreCase)))
                    {
                        problem(Child(e, key), at + key, $"{column} is {found.DataType}, not a date or timestamp");
                    }
                }

                return column;
            }

            var date = DateColumn("date", required: true);
            var after = DateColumn("after", required: false);
            var where = ReadWhere(Child(e, "where"), at, dataset, problem);
            if (source is not null && name is not null && date is not null)
            {
                events.Add(new ThemeEvent(source.Id, name, date, where, after, (int)e.Start.Line));
            }
        }

        return table is null ? null : new ThemeHistory(table, events);
    }

    /// <summary>
    /// A field's value in a source: a column name, or a mapping with <c>column</c> (and optionally <c>map</c>: source
    /// value → theme value), <c>concat</c> (columns joined by spaces) or <c>value</c> (a constant).
    /// </summary>
    private static ThemeValue? ReadValue(YamlNode node, string at, DatasetDefinition? dataset, Action<YamlNode?, string, string> problem)
    {
        void Column(YamlNode where, string column)
        {
            if (dataset is not null && dataset.Columns.All(c => c.Name != column))
            {
                problem(where, at, $"{dataset.Name} has no column '{column}'");
            }
        }

        switch (node)
        {
            case YamlScalarNode { Value: { Length: > 0 } column }:
                Column(node, column);
                return ThemeValue.Of(column);
            case YamlMappingNode map:
            {
                Unknown(map, ValueKeys, at + ".", problem);
                var given = ValueKeys.Where(k => k != "map" && Child(map, k) is not null).ToList();
                if (given.Count != 1)
                {
                    problem(map, at, "give exactly one of column, concat, value");
                    return null;
                }

                if (Child(map, "map") is { } mapNode && given[0] != "column")
                {
                    problem(mapNode, at + ".map", "a map translates a column's values; give column with it");
                }

                switch (given[0])
                {
                    case "column":
                    {
                        var column = Text(map, "column", problem, required: true, prefix: at + ".");
                        if (column is null)
                        {
                            return null;
                        }

                        Column(Child(map, "column")!, column);
                        Dictionary<string, string>? translation = null;
                        if (Child(map, "map") is { } m)
                        {
                            if (m is not YamlMappingNode pairs || pairs.Children.Count == 0
                                || pairs.Children.Any(p => p.Key is not YamlScalarNode || p.Value is not YamlScalarNode { Value: { Length: > 0 } }))
                            {
                                problem(m, at + ".map", "a mapping of source value: theme value (at least one)");
                                return null;
                            }

                            translation = pairs.Children.ToDictionary(p => ((YamlScalarNode)p.Key).Value ?? string.Empty, p => ((YamlScalarNode)p.Value).Value!, StringComparer.Ordinal);
                        }

                        return new ThemeValue(column, [], translation, null);
                    }

                    case "concat":
                    {
                        if (Child(map, "concat") is not YamlSequenceNode parts || parts.Children.Count < 2 || parts.Children.Any(p => p is not YamlScalarNode { Value: { Length: > 0 } }))
                        {
                            problem(Child(map, "concat"), at + ".concat", "a list of at least two columns");
                            return null;
                        }

                        foreach (var part in parts.Children)
                        {
                            Column(part, ((YamlScalarNode)part).Value!);
                        }

                        return new ThemeValue(null, parts.Children.Select(p => ((YamlScalarNode)p).Value!).ToList(), null, null);
                    }

                    default:
                        return Text(map, "value", problem, required: true, prefix: at + ".") is { } constant ? new ThemeValue(null, [], null, constant) : null;
                }
            }

            default:
                problem(node, at, "a column name, or {column[, map]}, {concat: [columns]} or {value: constant}");
                return null;
        }
    }

    private static Dictionary<string, ThemeValue> ReadFields(YamlNode? node, string at, DatasetDefinition? dataset, Action<YamlNode?, string, string> problem, bool required)
    {
        var fields = new Dictionary<string, ThemeValue>(StringComparer.Ordinal);
        if (node is YamlMappingNode map && map.Children.Count > 0)
        {
            foreach (var (k, v) in map.Children)
            {
                var field = (k as YamlScalarNode)?.Value ?? string.Empty;
                if (ReadValue(v, at + "fields." + field, dataset, problem) is { } value)
                {
                    fields[field] = value;
                }
            }
        }
        else if (required || node is not null)
        {
            problem(node, at + "fields", "map the theme's fields to this dataset's columns (field: column)");
        }

        return fields;
    }

    private static List<ThemeCondition> ReadWhere(YamlNode? whereNode, string at, DatasetDefinition? dataset, Action<YamlNode?, string, string> problem)
    {
        var where = new List<ThemeCondition>();
        if (whereNode is null)
        {
            return where;
        }

        if (whereNode is not YamlMappingNode conditions)
        {
            problem(whereNode, at + "where", "a mapping of column: value (or list of values; '' for blank)");
            return where;
        }

        foreach (var (k, v) in conditions.Children)
        {
            var column = (k as YamlScalarNode)?.Value ?? string.Empty;
            if (dataset is not null && dataset.Columns.All(c => c.Name != column))
            {
                problem(k, at + "where", $"{dataset.Name} has no column '{column}'");
            }

            var values = v switch
            {
                YamlScalarNode one => [one.Value ?? string.Empty],
                YamlSequenceNode many => many.Children.Select(c => (c as YamlScalarNode)?.Value ?? string.Empty).ToList(),
                _ => new List<string>(),
            };
            if (values.Count == 0)
            {
                problem(v, at + "where." + column, "give a value or a list of values");
            }

            where.Add(new ThemeCondition(column, values));
        }

        return where;
    }

    private static ThemeSource? ReadSource(YamlMappingNode s, string at, CatalogDefinitions catalog, Action<YamlNode?, string, string> problem)
    {
        Unknown(s, SourceKeys, at, problem);
        var id = Text(s, "id", problem, required: true, pattern: Identifier(), prefix: at);
        var datasetName = Text(s, "dataset", problem, required: true, prefix: at);
        DatasetDefinition? dataset = null;
        if (datasetName is not null && !catalog.TryGetDataset(datasetName, out dataset))
        {
            problem(Child(s, "dataset"), at + "dataset", $"'{datasetName}' is not a catalogued dataset");
        }

        string? Column(string key, bool required)
        {
            var column = Text(s, key, problem, required, prefix: at);
            if (column is not null && dataset is not null && dataset.Columns.All(c => c.Name != column))
            {
                problem(Child(s, key), at + key, $"{dataset.Name} has no column '{column}'");
            }

            return column;
        }

        var each = Child(s, "each");
        var keyColumn = Column("key", required: each is null);
        if (each is not null && keyColumn is not null)
        {
            problem(Child(s, "key"), at + "key", "give the key in each entry of 'each', not here");
        }

        var observedAt = Column("observed_at", required: false);
        if (observedAt is not null && dataset?.Columns.FirstOrDefault(c => c.Name == observedAt) is { } observed
            && !(observed.DataType.Equals("DATE", StringComparison.OrdinalIgnoreCase) || observed.DataType.StartsWith("TIMESTAMP", StringComparison.OrdinalIgnoreCase)))
        {
            problem(Child(s, "observed_at"), at + "observed_at", $"{observedAt} is {observed.DataType}, not a date or timestamp");
        }

        var common = ReadFields(Child(s, "fields"), at, dataset, problem, required: each is null);
        var roles = new List<ThemeSourceRole>();
        if (each is null)
        {
            if (keyColumn is not null)
            {
                roles.Add(new ThemeSourceRole(keyColumn, common, []));
            }
        }
        else if (each is YamlSequenceNode entries && entries.Children.Count > 0)
        {
            for (var i = 0; i < entries.Children.Count; i++)
            {
                var roleAt = string.Create(CultureInfo.InvariantCulture, $"{at}each[{i}].");
                if (entries.Children[i] is not YamlMappingNode entry)
                {
                    problem(entries.Children[i], roleAt.TrimEnd('.'), "an entry is a mapping: key, fields, where");
                    continue;
                }

                Unknown(entry, RoleKeys, roleAt, problem);
                var roleKey = Text(entry, "key", problem, required: true, prefix: roleAt);
                if (roleKey is not null && dataset is not null && dataset.Columns.All(c => c.Name != roleKey))
                {
                    problem(Child(entry, "key"), roleAt + "key", $"{dataset.Name} has no column '{roleKey}'");
                }

                var own = ReadFields(Child(entry, "fields"), roleAt, dataset, problem, required: false);
                var merged = new Dictionary<string, ThemeValue>(common, StringComparer.Ordinal);
                foreach (var (field, value) in own)
                {
                    merged[field] = value;
                }

                if (merged.Count == 0)
                {
                    problem(entry, roleAt + "fields", "the entry supplies no field (give fields here or on the source)");
                }

                if (roleKey is not null)
                {
                    roles.Add(new ThemeSourceRole(roleKey, merged, ReadWhere(Child(entry, "where"), roleAt, dataset, problem)));
                }
            }
        }
        else
        {
            problem(each, at + "each", "a list of {key, fields[, where]}: each key a row names, with the fields it supplies for it");
        }

        var where = ReadWhere(Child(s, "where"), at, dataset, problem);
        var oldNumbers = Text(s, "old_numbers_from", problem, required: false, prefix: at);
        if (id is null || datasetName is null || roles.Count == 0)
        {
            return null;
        }

        // Fields, for people and the checks: each field the source supplies, with how each role reads it.
        var described = roles.SelectMany(r => r.Fields).GroupBy(f => f.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => string.Join(" | ", g.Select(f => f.Value.ToString()).Distinct(StringComparer.Ordinal)), StringComparer.Ordinal);
        return new ThemeSource(id, datasetName, roles[0].KeyColumn, observedAt, described, where, (int)s.Start.Line)
        {
            Roles = roles,
            OldNumbersFrom = oldNumbers,
        };
    }

    private static T Bad<T>(Action report, T fallback)
    {
        report();
        return fallback;
    }

    private static YamlNode? Child(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var child) ? child : null;

    private static string? Text(YamlMappingNode node, string key, Action<YamlNode?, string, string> problem, bool required, Regex? pattern = null, string prefix = "")
    {
        var child = Child(node, key);
        if (child is null)
        {
            if (required)
            {
                problem(node, prefix + key, "required");
            }

            return null;
        }

        if (child is not YamlScalarNode { Value: { Length: > 0 } value })
        {
            problem(child, prefix + key, "give a value");
            return null;
        }

        if (pattern is not null && !pattern.IsMatch(value))
        {
            problem(child, prefix + key, $"'{value}' does not match {pattern}");
            return null;
        }

        return value;
    }

    private static void Unknown(YamlMappingNode node, string[] known, string prefix, Action<YamlNode?, string, string> problem)
    {
        foreach (var (k, _) in node.Children)
        {
            if (k is YamlScalarNode { Value: { } key } && !known.Contains(key))
            {
                problem(k, prefix + key, $"unknown key; known keys are {string.Join(", ", known)}");
            }
        }
    }

    [GeneratedRegex("^[a-z][a-z0-9_]{0,62}$")]
    private static partial Regex Identifier();

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}\\.[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex TableName();

    [GeneratedRegex(@"^(VARCHAR|DATE|TIMESTAMP|BOOLEAN|BIGINT|INTEGER|DOUBLE|DECIMAL\(\d{1,2},\s*\d{1,2}\))$")]
    private static partial Regex SafeType();
}
