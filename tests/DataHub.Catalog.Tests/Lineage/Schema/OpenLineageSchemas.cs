using System.Text.Json;
using System.Text.Json.Nodes;

namespace DataHub.Catalog.Tests.Lineage.Schema;

/// <summary>
/// Validates OpenLineage events against the official schemas kept unchanged in <c>openlineage/</c> (copied to the
/// test output): the event against <c>OpenLineage.json</c>, and every facet against the facet schema that declares
/// it. A facet no schema declares is reported, so an event cannot pass with a facet nobody checked.
/// </summary>
internal static class OpenLineageSchemas
{
    /// <summary>The spec's <c>$id</c>.</summary>
    public const string SpecId = "https://openlineage.io/spec/2-0-2/OpenLineage.json";

    private static readonly Lazy<JsonSchemaSet> Set = new(() =>
        JsonSchemaSet.LoadDirectory(Path.Combine(AppContext.BaseDirectory, "openlineage")));

    /// <summary>The loaded schema documents.</summary>
    public static JsonSchemaSet Schemas => Set.Value;

    /// <summary>Every violation of an event; empty when it is valid.</summary>
    public static IReadOnlyList<string> Validate(JsonNode runEvent)
    {
        using var document = JsonDocument.Parse(runEvent.ToJsonString());
        return Validate(document.RootElement);
    }

    /// <summary>Every violation of an event; empty when it is valid.</summary>
    public static IReadOnlyList<string> Validate(JsonElement runEvent)
    {
        var errors = Schemas.Validate(runEvent, SpecId).ToList();
        if (runEvent.ValueKind != JsonValueKind.Object)
        {
            return errors;
        }

        foreach (var (path, facets) in FacetContainers(runEvent))
        {
            foreach (var facet in facets.EnumerateObject())
            {
                var declaring = Schemas.Documents.FirstOrDefault(d =>
                    d.Key != SpecId && d.Value.TryGetProperty("properties", out var p) && p.TryGetProperty(facet.Name, out _));
                if (declaring.Key is null)
                {
                    errors.Add($"{path}.{facet.Name}: no facet schema among the fixtures declares this facet");
                    continue;
                }

                using var single = JsonDocument.Parse(new JsonObject { [facet.Name] = JsonNode.Parse(facet.Value.GetRawText()) }.ToJsonString());
                errors.AddRange(Schemas.Validate(single.RootElement, declaring.Key).Select(e => path + e[1..]));
            }
        }

        return errors;
    }

    private static IEnumerable<(string Path, JsonElement Facets)> FacetContainers(JsonElement runEvent)
    {
        foreach (var owner in new[] { "run", "job" })
        {
            if (runEvent.TryGetProperty(owner, out var node) && node.ValueKind == JsonValueKind.Object
                && node.TryGetProperty("facets", out var facets) && facets.ValueKind == JsonValueKind.Object)
            {
                yield return ($"$.{owner}.facets", facets);
            }
        }

        foreach (var list in new[] { "inputs", "outputs" })
        {
            if (!runEvent.TryGetProperty(list, out var datasets) || datasets.ValueKind != JsonValueKind.Array)
            {
                continue;
            }

            var index = 0;
            foreach (var dataset in datasets.EnumerateArray())
            {
                foreach (var name in new[] { "facets", "inputFacets", "outputFacets" })
                {
                    if (dataset.ValueKind == JsonValueKind.Object && dataset.TryGetProperty(name, out var facets) && facets.ValueKind == JsonValueKind.Object)
                    {
                        yield return ($"$.{list}[{index}].{name}", facets);
                    }
                }

                index++;
            }
        }
    }
}
