using DataHub.Catalog.Lineage;
using DataHub.Catalog.Tests.Lineage.Schema;

namespace DataHub.Catalog.Tests.Lineage;

public sealed class OpenLineageEventBuilderTests
{
    private static readonly DateTimeOffset Time = new(2026, 10, 2, 10, 30, 0, TimeSpan.FromHours(8));
    private readonly OpenLineageEventBuilder builder = new();

    [Theory]
    [InlineData(LineageEventType.Start)]
    [InlineData(LineageEventType.Running)]
    [InlineData(LineageEventType.Complete)]
    [InlineData(LineageEventType.Abort)]
    [InlineData(LineageEventType.Other)]
    public void Every_event_type_validates_against_the_official_schemas(LineageEventType type)
    {
        var e = builder.Build(LineageSamples.MaskedExport(Guid.CreateVersion7()), type, Time);
        Assert.Empty(OpenLineageSchemas.Validate(e));
        Assert.Equal(OpenLineageEventBuilder.EventTypeName(type), (string?)e["eventType"]);
    }

    [Fact]
    public void A_complete_event_carries_schema_and_column_lineage_with_the_masking_flag()
    {
        var runId = Guid.CreateVersion7();
        var e = builder.Build(LineageSamples.MaskedExport(runId), LineageEventType.Complete, Time);

        Assert.Empty(OpenLineageSchemas.Validate(e));
        Assert.Equal("2026-10-02T02:30:00.000Z", (string?)e["eventTime"]);
        Assert.Equal(runId.ToString(), (string?)e["run"]!["runId"]);
        Assert.Equal("share_household_health", (string?)e["job"]!["name"]);
        var input = e["inputs"]![0]!;
        Assert.Equal(("datahub", "civil.household"), ((string?)input["namespace"], (string?)input["name"]));
        Assert.Equal(["household_no", "id_card", "members"], input["facets"]!["schema"]!["fields"]!.AsArray().Select(f => (string?)f!["name"]));

        var lineage = e["outputs"]![0]!["facets"]!["columnLineage"]!;
        var masked = Assert.Single(lineage["fields"]!["id_card_masked"]!["inputFields"]!.AsArray());
        Assert.Equal(("civil.household", "id_card"), ((string?)masked!["name"], (string?)masked["field"]));
        var transformation = Assert.Single(masked["transformations"]!.AsArray())!;
        Assert.Equal(("DIRECT", "TRANSFORMATION", true), ((string?)transformation["type"], (string?)transformation["subtype"], (bool)transformation["masking"]!));

        var members = lineage["fields"]!["members"]!["inputFields"]!.AsArray();
        Assert.Equal(2, members.Count);
        Assert.Contains(members, f => (string?)f!["field"] == "household_no" && (string?)f["transformations"]![0]!["type"] == "INDIRECT"
                                      && (string?)f["transformations"]![0]!["subtype"] == "GROUP_BY" && !(bool)f["transformations"]![0]!["masking"]!);
    }

    [Fact]
    public void Whole_dataset_dependencies_go_to_the_dataset_list_and_file_sources_get_the_file_namespace()
    {
        var e = builder.Build(LineageSamples.Ingest(Guid.CreateVersion7()), LineageEventType.Complete, Time);

        Assert.Empty(OpenLineageSchemas.Validate(e));
        Assert.Equal(("file", "samples/civil/households.csv"), ((string?)e["inputs"]![0]!["namespace"], (string?)e["inputs"]![0]!["name"]));
        var lineage = e["outputs"]![0]!["facets"]!["columnLineage"]!.AsObject();
        Assert.False(lineage["fields"]!.AsObject().ContainsKey("*"));
        var filter = Assert.Single(lineage["dataset"]!.AsArray())!;
        Assert.Equal(("file", "samples/civil/households.csv", "人口数"), ((string?)filter["namespace"], (string?)filter["name"], (string?)filter["field"]));
        Assert.Equal("FILTER", (string?)filter["transformations"]![0]!["subtype"]);
    }

    [Fact]
    public void A_fail_event_carries_the_error_message_facet()
    {
        var e = builder.Build(LineageSamples.Ingest(Guid.CreateVersion7()), LineageEventType.Fail, Time, "samples/civil/households.csv:1: the header lacks '户号'");

        Assert.Empty(OpenLineageSchemas.Validate(e));
        var facet = e["run"]!["facets"]!["errorMessage"]!;
        Assert.Equal("samples/civil/households.csv:1: the header lacks '户号'", (string?)facet["message"]);
        Assert.Equal("C#", (string?)facet["programmingLanguage"]);
    }

    [Fact]
    public void A_start_event_without_fields_or_lineage_still_validates()
    {
        var run = LineageSamples.Ingest(Guid.CreateVersion7()) with { Inputs = [new LineageDatasetSchema(LineageSamples.Source, [])], Edges = [] };
        var e = builder.Build(run, LineageEventType.Start, Time);
        Assert.Empty(OpenLineageSchemas.Validate(e));
        Assert.Null(e["inputs"]![0]!["facets"]);
        Assert.Null(e["outputs"]![0]!["facets"]!["columnLineage"]);
    }

    [Fact]
    public void Lineage_into_a_dataset_that_is_not_an_output_is_refused()
    {
        var run = LineageSamples.Ingest(Guid.CreateVersion7());
        run = run with { Edges = [.. run.Edges, LineageSamples.Edge(LineageSamples.Source, "户号", "civil.other", "x", LineageTransformationType.Direct, "IDENTITY")] };
        var error = Assert.Throws<ArgumentException>(() => builder.Build(run, LineageEventType.Complete, Time));
        Assert.Contains("civil.other.x", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("datahub")]
    [InlineData("not a uri")]
    public void A_producer_that_is_not_an_absolute_uri_is_refused(string producer) =>
        Assert.Throws<ArgumentException>(() => new OpenLineageEventBuilder(producer));

    [Theory]
    [InlineData("water.meter_reading_daily", true)]
    [InlineData("file:samples/water/meter_readings_2026-10-01.csv", true)]
    [InlineData("file:samples/../../etc/passwd", false)]
    [InlineData("Water.Meter", false)]
    [InlineData("meter_reading_daily", false)]
    [InlineData("", false)]
    public void Dataset_names_are_lake_tables_or_prefixed_sources(string name, bool valid) =>
        Assert.Equal(valid, LineageDatasetName.IsValid(name));
}
