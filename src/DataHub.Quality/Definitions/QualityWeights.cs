using System.Globalization;
using DataHub.Quality.Rules;
using YamlDotNet.RepresentationModel;

namespace DataHub.Quality.Definitions;

/// <summary>The dimension weights of <c>catalog/quality.yaml</c> (equal weights when the file is absent).</summary>
public static class QualityWeights
{
    /// <summary>Reads the weights; an unknown dimension or a negative weight is an error naming file, line and field.</summary>
    public static IReadOnlyDictionary<QualityDimension, double> Load(string file)
    {
        var weights = Enum.GetValues<QualityDimension>().ToDictionary(d => d, _ => 1.0);
        if (!File.Exists(file))
        {
            return weights;
        }

        using var reader = new StreamReader(file);
        var stream = new YamlStream();
        stream.Load(reader);
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root
            || !root.Children.TryGetValue(new YamlScalarNode("weights"), out var node) || node is not YamlMappingNode map)
        {
            throw new RuleDefinitionException([$"{file}:1: weights: a mapping of dimension to weight is required"]);
        }

        var problems = new List<string>();
        foreach (var (key, value) in map.Children)
        {
            var name = (key as YamlScalarNode)?.Value;
            if (!Enum.TryParse<QualityDimension>(name, ignoreCase: true, out var dimension) || int.TryParse(name, out _))
            {
                problems.Add($"{file}:{key.Start.Line}: weights.{name}: not a GB/T 36344 dimension");
            }
            else if (value is not YamlScalarNode scalar || !double.TryParse(scalar.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var weight) || weight < 0)
            {
                problems.Add($"{file}:{value.Start.Line}: weights.{name}: not a weight ≥ 0");
            }
            else
            {
                weights[dimension] = weight;
            }
        }

        return problems.Count == 0 ? weights : throw new RuleDefinitionException(problems);
    }
}
