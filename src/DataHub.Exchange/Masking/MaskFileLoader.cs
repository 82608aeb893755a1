using System.Globalization;
using DataHub.Catalog;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace DataHub.Exchange.Masking;

/// <summary>
/// Reads <c>catalog/masks.yaml</c>. The whole file is checked before anything is refused, so one run reports every
/// problem, each as <c>file:line: field: problem</c>. Given the catalog, the data elements and L5 attributes it names
/// are checked against it too.
/// </summary>
public static class MaskFileLoader
{
    /// <summary>The file name inside the catalog folder.</summary>
    public const string FileName = "masks.yaml";

    private static readonly string[] TopKeys = ["hash_length", "types", "levels"];
    private static readonly string[] LevelKeys = ["level", "never_shared", "default", "masks"];
    private static readonly string[] RuleKeys = ["mask", "first", "last", "cut"];

    /// <summary>Reads a masks file.</summary>
    /// <param name="file">The path of <c>masks.yaml</c>.</param>
    /// <param name="catalog">The catalog, to check element and attribute codes; null to skip that.</param>
    /// <exception cref="MaskDefinitionException">The file is missing, malformed or inconsistent.</exception>
    public static MaskDefinitions Load(string file, CatalogDefinitions? catalog = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(file);
        var problems = new List<string>();
        void Problem(long line, string field, string message) => problems.Add($"{file}:{line}: {field}: {message}");

        YamlMappingNode root;
        try
        {
            using var reader = new StreamReader(file);
            var stream = new YamlStream();
            stream.Load(reader);
            if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode mapping)
            {
                throw new MaskDefinitionException([$"{file}:1: (file): the file holds one mapping with types and levels"]);
            }

            root = mapping;
        }
        catch (YamlException e)
        {
            throw new MaskDefinitionException([$"{file}:{e.Start.Line}: (syntax): {e.Message}"]);
        }
        catch (IOException e)
        {
            throw new MaskDefinitionException([$"{file}:0: (file): {e.Message}"]);
        }

        UnknownKeys(root, TopKeys, string.Empty, Problem);
        var hashLength = 16;
        if (Child(root, "hash_length") is { } lengthNode)
        {
            if (lengthNode is YamlScalarNode { Value: { } text } && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 8 and <= 64)
            {
                hashLength = n;
            }
            else
            {
                Problem(lengthNode.Start.Line, "hash_length", $"'{(lengthNode as YamlScalarNode)?.Value}' is not a whole number from 8 to 64");
            }
        }

        var elementTypes = new Dictionary<string, string>(StringComparer.Ordinal);
        var attributeTypes = new Dictionary<string, string>(StringComparer.Ordinal);
        if (Child(root, "types") is { } typesNode)
        {
            if (typesNode is YamlMappingNode types)
            {
                UnknownKeys(types, ["elements", "attributes"], "types.", Problem);
                ReadTypes(types, "elements", elementTypes, code => catalog is null || catalog.Elements.Any(e => e.Code == code),
                    "is not a data element of catalog/elements.yaml", Problem);
                ReadTypes(types, "attributes", attributeTypes, code => catalog is null || catalog.Nodes.Any(n => n.Level == 5 && n.Code == code),
                    "is not an L5 attribute of the catalog's architecture", Problem);
            }
            else
            {
                Problem(typesNode.Start.Line, "types", "a mapping with elements and attributes");
            }
        }

        var levels = new Dictionary<int, MaskLevel>();
        if (Child(root, "levels") is YamlSequenceNode levelList)
        {
            var seen = new HashSet<int>();
            foreach (var node in levelList.Children)
            {
                if (node is not YamlMappingNode level)
                {
                    Problem(node.Start.Line, "levels", "each level is a mapping with level and default, masks or never_shared");
                    continue;
                }

                if (Child(level, "level") is YamlScalarNode { Value: { } number } && int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var declared))
                {
                    seen.Add(declared);
                }

                if (ReadLevel(file, level, catalog, Problem) is { } read)
                {
                    if (!levels.TryAdd(read.Level, read))
                    {
                        Problem(level.Start.Line, "level", $"level {read.Level} is declared twice");
                    }
                }
            }

            foreach (var missing in Enumerable.Range(1, 4).Where(l => !seen.Contains(l)))
            {
                Problem(levelList.Start.Line, "levels", $"level {missing} (catalog/grades.yaml) has no entry");
            }
        }
        else
        {
            Problem(Child(root, "levels")?.Start.Line ?? root.Start.Line, "levels", "a list of the sensitivity levels 1–4 is required");
        }

        return problems.Count == 0
            ? new MaskDefinitions(hashLength, elementTypes, attributeTypes, levels, file)
            : throw new MaskDefinitionException(problems);
    }

    private static MaskLevel? ReadLevel(string file, YamlMappingNode node, CatalogDefinitions? catalog, Action<long, string, string> problem)
    {
        var count = 0;
        void Problem(long line, string field, string message)
        {
            count++;
            problem(line, field, message);
        }

        var levelNode = Child(node, "level");
        if (levelNode is not YamlScalarNode { Value: { } levelText } || !int.TryParse(levelText, NumberStyles.None, CultureInfo.InvariantCulture, out var level) || level is < 1 or > 4)
        {
            Problem(levelNode?.Start.Line ?? node.Start.Line, "level", $"'{(levelNode as YamlScalarNode)?.Value}' is not a sensitivity level 1–4 (catalog/grades.yaml)");
            return null;
        }

        var prefix = $"levels.{level}.";
        UnknownKeys(node, LevelKeys, prefix, Problem);
        var neverShared = false;
        if (Child(node, "never_shared") is { } neverNode)
        {
            if (neverNode is YamlScalarNode { Value: "true" or "false" } flag)
            {
                neverShared = flag.Value == "true";
            }
            else
            {
                Problem(neverNode.Start.Line, prefix + "never_shared", "true or false");
            }
        }

        if (level == 4 && !neverShared)
        {
            Problem(node.Start.Line, prefix + "never_shared", "level 4 (敏感) is never shared outward: never_shared: true");
        }

        var defaultNode = Child(node, "default");
        var masksNode = Child(node, "masks");
        if (neverShared && (defaultNode is not null || masksNode is not null))
        {
            var key = defaultNode is null ? "masks" : "default";
            Problem(KeyLine(node, key), prefix + key, "a level that is never shared has no masks");
        }

        if (!neverShared && defaultNode is null)
        {
            Problem(node.Start.Line, prefix + "default", "a shared level needs a default mask for columns its masks do not name");
        }

        var defaultRule = defaultNode is null ? null : ReadRule(file, defaultNode, prefix + "default", Problem);
        var masks = new Dictionary<string, MaskRule>(StringComparer.Ordinal);
        if (masksNode is YamlMappingNode masksMap)
        {
            foreach (var (keyNode, ruleNode) in masksMap.Children)
            {
                var key = (keyNode as YamlScalarNode)?.Value ?? string.Empty;
                var known = MaskDefinitions.SemanticTypes.Contains(key) || (catalog is null ? key.Length > 0 : catalog.Elements.Any(e => e.Code == key));
                if (!known)
                {
                    Problem(keyNode.Start.Line, prefix + "masks." + key,
                        $"not a semantic type ({string.Join(", ", MaskDefinitions.SemanticTypes)}) or a data element of catalog/elements.yaml");
                    continue;
                }

                if (ReadRule(file, ruleNode, prefix + "masks." + key, Problem) is { } rule)
                {
                    masks[key] = rule;
                }
            }
        }
        else if (masksNode is not null)
        {
            Problem(masksNode.Start.Line, prefix + "masks", "a mapping of semantic types or data elements to masks");
        }

        return count == 0 ? new MaskLevel(level, neverShared, defaultRule, masks) : null;
    }

    /// <summary>A mask: a kind alone (<c>plain</c>, <c>hash</c> …) or a mapping with <c>mask</c> and its parameters.</summary>
    private static MaskRule? ReadRule(string file, YamlNode node, string field, Action<long, string, string> problem)
    {
        var before = 0;
        void Problem(long line, string f, string message)
        {
            before++;
            problem(line, f, message);
        }

        MaskRuleDraft draft;
        if (node is YamlScalarNode scalar)
        {
            draft = new MaskRuleDraft(field, node.Start.Line, scalar.Value, null, null, null, new Dictionary<string, long>());
        }
        else if (node is YamlMappingNode mapping)
        {
            UnknownKeys(mapping, RuleKeys, field + ".", Problem);
            var lines = mapping.Children.Keys.OfType<YamlScalarNode>().Where(k => k.Value is not null)
                .ToDictionary(k => k.Value!, k => k.Start.Line, StringComparer.Ordinal);
            int? Number(string key)
            {
                if (Child(mapping, key) is not { } value)
                {
                    return null;
                }

                if (value is YamlScalarNode { Value: { } text } && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
                {
                    return n;
                }

                Problem(value.Start.Line, $"{field}.{key}", $"'{(value as YamlScalarNode)?.Value}' is not a whole number ≥ 0");
                return null;
            }

            draft = new MaskRuleDraft(
                field, node.Start.Line, (Child(mapping, "mask") as YamlScalarNode)?.Value, Number("first"), Number("last"),
                (Child(mapping, "cut") as YamlScalarNode)?.Value, lines);
        }
        else
        {
            Problem(node.Start.Line, field, "a mask kind or a mapping with mask and its parameters");
            return null;
        }

        if (before > 0)
        {
            return null;
        }

        var result = new MaskRuleValidator().Validate(draft);
        foreach (var error in result.Errors)
        {
            var key = error.PropertyName;
            problem(draft.Lines.TryGetValue(key, out var at) ? at : draft.Line, $"{field}.{key}", error.ErrorMessage);
        }

        if (!result.IsValid)
        {
            return null;
        }

        var kind = MaskRuleValidator.Kinds[draft.Kind!];
        return new MaskRule(
            kind, draft.First ?? 0, draft.Last ?? 0, draft.Cut == "county" ? AddressCut.County : AddressCut.Township, $"{file}:{draft.Line}");
    }

    private static void ReadTypes(
        YamlMappingNode types, string key, Dictionary<string, string> into, Func<string, bool> exists, string notFound, Action<long, string, string> problem)
    {
        if (Child(types, key) is not { } node)
        {
            return;
        }

        if (node is not YamlMappingNode map)
        {
            problem(node.Start.Line, $"types.{key}", "a mapping of codes to semantic types");
            return;
        }

        foreach (var (codeNode, typeNode) in map.Children)
        {
            var code = (codeNode as YamlScalarNode)?.Value ?? string.Empty;
            var type = (typeNode as YamlScalarNode)?.Value;
            if (!exists(code))
            {
                problem(codeNode.Start.Line, $"types.{key}.{code}", $"'{code}' {notFound}");
            }
            else if (type is null || !MaskDefinitions.SemanticTypes.Contains(type))
            {
                problem(typeNode.Start.Line, $"types.{key}.{code}", $"'{type}' is not one of {string.Join(", ", MaskDefinitions.SemanticTypes)}");
            }
            else
            {
                into[code] = type;
            }
        }
    }

    private static void UnknownKeys(YamlMappingNode node, string[] allowed, string prefix, Action<long, string, string> problem)
    {
        foreach (var key in node.Children.Keys.OfType<YamlScalarNode>().Where(k => !allowed.Contains(k.Value)))
        {
            problem(key.Start.Line, prefix + key.Value, $"not one of {string.Join(", ", allowed)}");
        }
    }

    private static long KeyLine(YamlMappingNode node, string key) =>
        node.Children.Keys.OfType<YamlScalarNode>().FirstOrDefault(k => k.Value == key)?.Start.Line ?? node.Start.Line;

    private static YamlNode? Child(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;
}
