using System.Globalization;
using System.Text.Json.Nodes;

namespace DataHub.Catalog.Lineage;

/// <summary>
/// Builds OpenLineage RunEvents (spec 2-0-2) for a <see cref="LineageRun"/>: the run, the job, the inputs and outputs
/// with the <c>schema</c> facet, the outputs with the <c>columnLineage</c> facet (per field its input fields and
/// transformations with the masking flag; whole-dataset dependencies under <c>dataset</c>), and on failure the
/// <c>errorMessage</c> run facet.
/// </summary>
public sealed class OpenLineageEventBuilder
{
    /// <summary>The spec version's RunEvent schema the events claim.</summary>
    public const string RunEventSchemaUrl = "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent";

    /// <summary>The producer URI used when none is given.</summary>
    public const string DefaultProducer = "urn:datahub:lineage:1";

    private const string SchemaFacetUrl = "https://openlineage.io/spec/facets/1-2-0/SchemaDatasetFacet.json#/$defs/SchemaDatasetFacet";
    private const string ColumnLineageFacetUrl = "https://openlineage.io/spec/facets/1-2-0/ColumnLineageDatasetFacet.json#/$defs/ColumnLineageDatasetFacet";
    private const string QualityMetricsFacetUrl = "https://openlineage.io/spec/facets/1-0-3/DataQualityMetricsInputDatasetFacet.json#/$defs/DataQualityMetricsInputDatasetFacet";
    private const string QualityAssertionsFacetUrl = "https://openlineage.io/spec/facets/1-1-0/DataQualityAssertionsDatasetFacet.json#/$defs/DataQualityAssertionsDatasetFacet";
    private const string OutputStatisticsFacetUrl = "https://openlineage.io/spec/facets/1-0-2/OutputStatisticsOutputDatasetFacet.json#/$defs/OutputStatisticsOutputDatasetFacet";
    private const string ErrorMessageFacetUrl = "https://openlineage.io/spec/facets/1-0-1/ErrorMessageRunFacet.json#/$defs/ErrorMessageRunFacet";

    private readonly string _producer;

    /// <summary>Creates a builder that signs events with a producer URI.</summary>
    /// <param name="producer">An absolute URI naming the producer (<see cref="DefaultProducer"/> when null).</param>
    /// <exception cref="ArgumentException">The producer is not an absolute URI.</exception>
    public OpenLineageEventBuilder(string? producer = null)
    {
        _producer = producer ?? DefaultProducer;
        if (!Uri.TryCreate(_producer, UriKind.Absolute, out _))
        {
            throw new ArgumentException($"The OpenLineage producer '{_producer}' is not an absolute URI.", nameof(producer));
        }
    }

    /// <summary>The OpenLineage name of an event type (<c>START</c>, <c>COMPLETE</c>, …).</summary>
    /// <param name="eventType">The event type.</param>
    public static string EventTypeName(LineageEventType eventType) => eventType switch
    {
        LineageEventType.Start => "START",
        LineageEventType.Running => "RUNNING",
        LineageEventType.Complete => "COMPLETE",
        LineageEventType.Abort => "ABORT",
        LineageEventType.Fail => "FAIL",
        LineageEventType.Other => "OTHER",
        _ => throw new ArgumentOutOfRangeException(nameof(eventType), eventType, "Unknown lineage event type."),
    };

    /// <summary>The OpenLineage name of a transformation type (<c>DIRECT</c> or <c>INDIRECT</c>).</summary>
    /// <param name="type">The transformation type.</param>
    public static string TransformationTypeName(LineageTransformationType type) => type switch
    {
        LineageTransformationType.Direct => "DIRECT",
        LineageTransformationType.Indirect => "INDIRECT",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown transformation type."),
    };

    /// <summary>Builds one RunEvent.</summary>
    /// <param name="run">The run, its datasets and (when known) its column lineage.</param>
    /// <param name="eventType">The transition being reported.</param>
    /// <param name="eventTime">When it happened.</param>
    /// <param name="errorMessage">For a failed run, what went wrong; added as the <c>errorMessage</c> run facet.</param>
    /// <returns>The event as a JSON object.</returns>
    /// <exception cref="ArgumentException">An edge's output dataset is not among the run's outputs, or a dataset name is invalid.</exception>
    public JsonObject Build(LineageRun run, LineageEventType eventType, DateTimeOffset eventTime, string? errorMessage = null)
    {
        ArgumentNullException.ThrowIfNull(run);
        var unknown = run.Edges.FirstOrDefault(e => !run.Outputs.Any(o => o.Dataset == e.Output.Dataset));
        if (unknown is not null)
        {
            throw new ArgumentException($"Column lineage of {unknown.Output} names a dataset that is not an output of run {run.RunId}.", nameof(run));
        }

        var runNode = new JsonObject { ["runId"] = run.RunId.ToString("D", CultureInfo.InvariantCulture) };
        if (errorMessage is not null)
        {
            runNode["facets"] = new JsonObject
            {
                ["errorMessage"] = Facet(ErrorMessageFacetUrl, new JsonObject
                {
                    ["message"] = errorMessage,
                    ["programmingLanguage"] = "C#",
                }),
            };
        }

        return new JsonObject
        {
            ["eventType"] = EventTypeName(eventType),
            ["eventTime"] = eventTime.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            ["producer"] = _producer,
            ["schemaURL"] = RunEventSchemaUrl,
            ["run"] = runNode,
            ["job"] = new JsonObject { ["namespace"] = run.JobNamespace, ["name"] = run.JobName },
            ["inputs"] = new JsonArray(run.Inputs.Select(i => (JsonNode)WithQuality(Dataset(i, []), i, run.Quality, input: true)).ToArray()),
            ["outputs"] = new JsonArray(run.Outputs.Select(o => (JsonNode)WithQuality(Dataset(o, run.Edges.Where(e => e.Output.Dataset == o.Dataset).ToList()), o, run.Quality, input: false)).ToArray()),
        };
    }

    /// <summary>Adds the quality facets: metrics and assertions as input facets, statistics as output facets.</summary>
    private JsonObject WithQuality(JsonObject node, LineageDatasetSchema dataset, LineageQuality? quality, bool input)
    {
        if (quality is null)
        {
            return node;
        }

        if (!input)
        {
            var statistics = new JsonObject { ["rowCount"] = quality.RowsWritten };
            if (quality.BytesWritten > 0)
            {
                statistics["size"] = quality.BytesWritten;
            }

            node["outputFacets"] = new JsonObject { ["outputStatistics"] = Facet(OutputStatisticsFacetUrl, statistics) };
            return node;
        }

        var facets = new JsonObject();
        if (quality.InputRows.TryGetValue(dataset.Dataset, out var rows))
        {
            facets["dataQualityMetrics"] = Facet(QualityMetricsFacetUrl, new JsonObject { ["rowCount"] = rows, ["columnMetrics"] = new JsonObject() });
        }

        if (quality.Assertions.Count > 0)
        {
            facets["dataQualityAssertions"] = Facet(QualityAssertionsFacetUrl, new JsonObject
            {
                ["assertions"] = new JsonArray(quality.Assertions.Select(a =>
                {
                    var assertion = new JsonObject { ["assertion"] = a.Assertion, ["success"] = a.Success };
                    if (a.Column is not null)
                    {
                        assertion["column"] = a.Column;
                    }

                    return (JsonNode)assertion;
                }).ToArray()),
            });
        }

        if (facets.Count > 0)
        {
            node["inputFacets"] = facets;
        }

        return node;
    }

    private JsonObject Dataset(LineageDatasetSchema dataset, List<ColumnLineageEdge> edges)
    {
        var (ns, name) = LineageDatasetName.ToOpenLineage(dataset.Dataset);
        var facets = new JsonObject();
        if (dataset.Fields.Count > 0)
        {
            facets["schema"] = Facet(SchemaFacetUrl, new JsonObject
            {
                ["fields"] = new JsonArray(dataset.Fields.Select((f, i) =>
                {
                    var field = new JsonObject { ["name"] = f.Name };
                    if (f.Type is not null)
                    {
                        field["type"] = f.Type;
                    }

                    field["ordinal_position"] = i + 1;
                    return (JsonNode)field;
                }).ToArray()),
            });
        }

        if (edges.Count > 0)
        {
            var fields = new JsonObject();
            foreach (var output in edges.Where(e => e.Output.Field != LineageColumn.WholeDataset).GroupBy(e => e.Output.Field, StringComparer.Ordinal))
            {
                fields[output.Key] = new JsonObject { ["inputFields"] = InputFields(output) };
            }

            var lineage = new JsonObject { ["fields"] = fields };
            var whole = edges.Where(e => e.Output.Field == LineageColumn.WholeDataset).ToList();
            if (whole.Count > 0)
            {
                lineage["dataset"] = InputFields(whole);
            }

            facets["columnLineage"] = Facet(ColumnLineageFacetUrl, lineage);
        }

        var node = new JsonObject { ["namespace"] = ns, ["name"] = name };
        if (facets.Count > 0)
        {
            node["facets"] = facets;
        }

        return node;
    }

    /// <summary>One inputField per input column, with every transformation that links it to the output.</summary>
    private static JsonArray InputFields(IEnumerable<ColumnLineageEdge> edges) => new(edges
        .GroupBy(e => e.Input)
        .Select(input =>
        {
            var (ns, name) = LineageDatasetName.ToOpenLineage(input.Key.Dataset);
            return (JsonNode)new JsonObject
            {
                ["namespace"] = ns,
                ["name"] = name,
                ["field"] = input.Key.Field,
                ["transformations"] = new JsonArray(input.Select(e =>
                {
                    var transformation = new JsonObject
                    {
                        ["type"] = TransformationTypeName(e.Type),
                        ["subtype"] = e.Subtype,
                    };
                    if (e.Description is not null)
                    {
                        transformation["description"] = e.Description;
                    }

                    transformation["masking"] = e.Masked;
                    return (JsonNode)transformation;
                }).ToArray()),
            };
        }).ToArray());

    private JsonObject Facet(string schemaUrl, JsonObject body)
    {
        var facet = new JsonObject { ["_producer"] = _producer, ["_schemaURL"] = schemaUrl };
        foreach (var (key, value) in body.ToList())
        {
            body.Remove(key);
            facet[key] = value;
        }

        return facet;
    }
}
