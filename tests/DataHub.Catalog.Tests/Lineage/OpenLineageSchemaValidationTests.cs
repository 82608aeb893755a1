using System.Text.Json;
using System.Text.Json.Nodes;
using DataHub.Catalog.Tests.Lineage.Schema;

namespace DataHub.Catalog.Tests.Lineage;

/// <summary>The schema validator itself: it accepts a valid event and reports each kind of violation.</summary>
public sealed class OpenLineageSchemaValidationTests
{
    private static JsonObject ValidEvent() => JsonNode.Parse("""
        {
          "eventType": "COMPLETE",
          "eventTime": "2026-10-02T02:30:00.000Z",
          "producer": "urn:datahub:lineage:1",
          "schemaURL": "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent",
          "run": { "runId": "0192f3c4-5e6f-7a8b-9c0d-1e2f3a4b5c6d" },
          "job": { "namespace": "datahub", "name": "water_meter_daily" },
          "inputs": [ { "namespace": "file", "name": "samples/water/a.csv",
                        "facets": { "schema": { "_producer": "urn:datahub:lineage:1",
                                                "_schemaURL": "https://openlineage.io/spec/facets/1-2-0/SchemaDatasetFacet.json#/$defs/SchemaDatasetFacet",
                                                "fields": [ { "name": "户号", "type": "VARCHAR" } ] } } } ],
          "outputs": [ { "namespace": "datahub", "name": "water.meter_reading_daily",
                         "facets": { "columnLineage": { "_producer": "urn:datahub:lineage:1",
                                                        "_schemaURL": "https://openlineage.io/spec/facets/1-2-0/ColumnLineageDatasetFacet.json#/$defs/ColumnLineageDatasetFacet",
                                                        "fields": { "account_no": { "inputFields": [
                                                          { "namespace": "file", "name": "samples/water/a.csv", "field": "户号",
                                                            "transformations": [ { "type": "DIRECT", "subtype": "IDENTITY", "masking": false } ] } ] } } } } } ]
        }
        """)!.AsObject();

    [Fact]
    public void A_valid_run_event_has_no_violations() =>
        Assert.Empty(OpenLineageSchemas.Validate(ValidEvent()));

    [Fact]
    public void A_missing_eventTime_is_reported()
    {
        var e = ValidEvent();
        e.Remove("eventTime");
        Assert.Contains(OpenLineageSchemas.Validate(e), m => m.Contains("'eventTime' is missing", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("not-a-uuid")]
    [InlineData("0192f3c4-5e6f-7a8b-9c0d-1e2f3a4b5c6")]
    [InlineData("0192f3c45e6f7a8b9c0d1e2f3a4b5c6d")]
    public void A_run_id_that_is_not_a_uuid_is_reported(string runId)
    {
        var e = ValidEvent();
        e["run"]!["runId"] = runId;
        Assert.Contains(OpenLineageSchemas.Validate(e), m => m.Contains("$.run.runId", StringComparison.Ordinal) && m.Contains("uuid", StringComparison.Ordinal));
    }

    [Fact]
    public void A_bad_event_time_an_unknown_event_type_and_a_relative_producer_are_reported()
    {
        var e = ValidEvent();
        e["eventTime"] = "2026-10-02 02:30";
        e["eventType"] = "FINISHED";
        e["producer"] = "datahub";
        var errors = OpenLineageSchemas.Validate(e);
        Assert.Contains(errors, m => m.Contains("date-time", StringComparison.Ordinal));
        Assert.Contains(errors, m => m.Contains("\"FINISHED\" is not one of", StringComparison.Ordinal));
        Assert.Contains(errors, m => m.Contains("'datahub' is not a valid uri", StringComparison.Ordinal));
    }

    [Fact]
    public void A_column_lineage_facet_of_the_wrong_shape_is_reported()
    {
        var e = ValidEvent();
        var facet = e["outputs"]![0]!["facets"]!["columnLineage"]!;
        facet["fields"]!["account_no"] = new JsonObject { ["inputs"] = new JsonArray() };
        facet["fields"]!["meter_no"] = new JsonObject
        {
            ["inputFields"] = new JsonArray(new JsonObject { ["namespace"] = "file", ["name"] = "a.csv", ["field"] = "表号", ["transformations"] = new JsonArray(new JsonObject { ["masking"] = "no" }) }),
        };
        var errors = OpenLineageSchemas.Validate(e);
        Assert.Contains(errors, m => m.Contains("$.outputs[0].facets.columnLineage.fields.account_no: required property 'inputFields' is missing", StringComparison.Ordinal));
        Assert.Contains(errors, m => m.Contains("transformations[0]: required property 'type' is missing", StringComparison.Ordinal));
        Assert.Contains(errors, m => m.Contains("transformations[0].masking: expected boolean", StringComparison.Ordinal));
    }

    [Fact]
    public void A_facet_without_producer_or_with_fields_of_the_wrong_type_is_reported()
    {
        var e = ValidEvent();
        var schema = e["inputs"]![0]!["facets"]!["schema"]!.AsObject();
        schema.Remove("_producer");
        schema["fields"] = new JsonObject { ["name"] = "户号" };
        var errors = OpenLineageSchemas.Validate(e);
        Assert.Contains(errors, m => m.Contains("$.inputs[0].facets.schema: required property '_producer' is missing", StringComparison.Ordinal));
        Assert.Contains(errors, m => m.Contains("$.inputs[0].facets.schema.fields: expected array", StringComparison.Ordinal));
    }

    [Fact]
    public void A_facet_no_schema_declares_is_reported()
    {
        var e = ValidEvent();
        e["outputs"]![0]!["facets"]!["madeUp"] = new JsonObject { ["_producer"] = "urn:x", ["_schemaURL"] = "urn:y" };
        Assert.Contains(OpenLineageSchemas.Validate(e), m => m.Contains("madeUp: no facet schema", StringComparison.Ordinal));
    }

    [Fact]
    public void An_event_that_is_both_a_dataset_event_and_a_job_event_fails_oneOf()
    {
        var e = ValidEvent();
        e.Remove("run");
        Assert.Empty(OpenLineageSchemas.Validate(e)); // a JobEvent (job, no run)
        e["dataset"] = new JsonObject { ["namespace"] = "datahub", ["name"] = "x.y" };
        // Now also a DatasetEvent (dataset, not both job and run): two alternatives match.
        Assert.Contains(OpenLineageSchemas.Validate(e), m => m.Contains("matches 2 of the oneOf alternatives", StringComparison.Ordinal));
    }

    [Fact]
    public void The_official_schemas_load_with_every_keyword_supported()
    {
        Assert.Equal(16, OpenLineageSchemas.Schemas.Documents.Count);
        Assert.Contains(OpenLineageSchemas.SpecId, OpenLineageSchemas.Schemas.Documents.Keys);
    }

    [Theory]
    [InlineData("""{ "$id": "urn:t", "type": "string", "maxLength": 3 }""", "maxLength")]
    [InlineData("""{ "$id": "urn:t", "properties": { "a": { "patternProperties": {} } } }""", "patternProperties")]
    [InlineData("""{ "$id": "urn:t", "$defs": { "x": { "type": "string", "format": "email" } } }""", "email")]
    [InlineData("""{ "$id": "urn:t", "anyOf": [ { "type": "decimal" } ] }""", "decimal")]
    public void An_unsupported_keyword_or_format_throws_instead_of_passing(string schema, string named)
    {
        var set = new JsonSchemaSet();
        var error = Assert.Throws<NotSupportedException>(() => set.Add(JsonDocument.Parse(schema).RootElement.Clone(), "test"));
        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }
}
