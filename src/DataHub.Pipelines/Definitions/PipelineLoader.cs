using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace DataHub.Pipelines.Definitions;

/// <summary>Reads and validates <c>pipelines/*.yaml</c>.</summary>
public static class PipelineLoader
{
    /// <summary>Every pipeline in a folder, validated; the first invalid one stops the load with its file, line and field.</summary>
    public static IReadOnlyList<PipelineDefinition> LoadDirectory(string directory)
    {
        if (!Directory.Exists(directory))
        {
            throw new PipelineDefinitionException($"The pipelines folder '{directory}' does not exist.");
        }

        var pipelines = Directory.EnumerateFiles(directory, "*.yaml").Order(StringComparer.Ordinal).Select(Load).ToList();
        var duplicate = pipelines.GroupBy(p => p.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        return duplicate is null
            ? pipelines
            : throw new PipelineDefinitionException($"Pipeline name '{duplicate.Key}' is used by {string.Join(" and ", duplicate.Select(p => p.SourceFile))}.");
    }

    /// <summary>One pipeline file.</summary>
    public static PipelineDefinition Load(string file)
    {
        YamlMappingNode root;
        try
        {
            using var reader = new StreamReader(file);
            var stream = new YamlStream();
            stream.Load(reader);
            root = stream.Documents.Count == 1 && stream.Documents[0].RootNode is YamlMappingNode mapping
                ? mapping
                : throw new PipelineDefinitionException($"{file}:1: a pipeline file holds one YAML mapping.");
        }
        catch (YamlException e)
        {
            throw new PipelineDefinitionException($"{file}:{e.Start.Line}: invalid YAML: {e.Message}", e);
        }

        var source = root.Children.TryGetValue(new YamlScalarNode("source"), out var s) && s is YamlMappingNode sm
            ? sm
            : throw new PipelineDefinitionException($"{file}:{root.Start.Line}: field 'source' is required (a mapping with path, pattern, format, encoding, delimiter).");
        var delimiter = Optional(source, "delimiter") ?? ",";
        var definition = new PipelineDefinition(
            Required(file, root, "name"),
            Optional(root, "description"),
            Required(file, root, "department"),
            Required(file, root, "target"),
            root.Children.TryGetValue(new YamlScalarNode("key"), out var k) && k is YamlSequenceNode keys
                ? keys.Children.OfType<YamlScalarNode>().Select(n => n.Value ?? string.Empty).ToList()
                : [],
            Optional(root, "schedule"),
            new FileSourceDefinition(
                Required(file, source, "path"),
                Optional(source, "pattern") ?? "*.csv",
                Optional(source, "format") ?? "csv",
                (Optional(source, "encoding") ?? "auto").ToLowerInvariant(),
                delimiter == "\\t" ? '\t' : delimiter.Length == 1 ? delimiter[0] : '\0'),
            file,
            string.Equals(Optional(root, "quality_gate"), "true", StringComparison.OrdinalIgnoreCase));

        var result = new PipelineDefinitionValidator().Validate(definition);
        if (!result.IsValid)
        {
            var failure = result.Errors[0];
            var key = failure.PropertyName.Split('.')[^1].ToLowerInvariant();
            var line = LineOf(root, key) ?? LineOf(source, key) ?? root.Start.Line;
            throw new PipelineDefinitionException($"{file}:{line}: field '{failure.PropertyName.ToLowerInvariant()}': {failure.ErrorMessage}");
        }

        return definition;
    }

    private static string Required(string file, YamlMappingNode node, string key) =>
        Optional(node, key) is { Length: > 0 } value
            ? value
            : throw new PipelineDefinitionException($"{file}:{node.Start.Line}: field '{key}' is required.");

    private static string? Optional(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) && value is YamlScalarNode scalar ? scalar.Value : null;

    private static long? LineOf(YamlMappingNode node, string key) =>
        node.Children.Keys.OfType<YamlScalarNode>().FirstOrDefault(k => string.Equals(k.Value, key, StringComparison.OrdinalIgnoreCase))?.Start.Line;
}
