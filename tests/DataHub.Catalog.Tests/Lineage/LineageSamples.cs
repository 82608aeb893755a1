using DataHub.Catalog.Lineage;

namespace DataHub.Catalog.Tests.Lineage;

/// <summary>Runs used by the lineage tests: an ingest from a file and an export that masks an identity number.</summary>
internal static class LineageSamples
{
    public const string Source = "file:samples/civil/households.csv";
    public const string Table = "civil.household";
    public const string Export = "exchange.household_for_health";

    public static LineageRun Ingest(Guid runId) => new(
        runId,
        "datahub",
        "civil_household",
        [new LineageDatasetSchema(Source, [new LineageField("户号", "VARCHAR"), new LineageField("身份证号", "VARCHAR"), new LineageField("人口数", "VARCHAR")])],
        [new LineageDatasetSchema(Table, [new LineageField("household_no", "VARCHAR"), new LineageField("id_card", "VARCHAR"), new LineageField("members", "INTEGER")])],
        [
            Edge(Source, "户号", Table, "household_no", LineageTransformationType.Direct, "IDENTITY"),
            Edge(Source, "身份证号", Table, "id_card", LineageTransformationType.Direct, "IDENTITY"),
            Edge(Source, "人口数", Table, "members", LineageTransformationType.Direct, "TRANSFORMATION", description: "CAST AS INTEGER"),
            Edge(Source, "人口数", Table, LineageColumn.WholeDataset, LineageTransformationType.Indirect, "FILTER"),
        ]);

    public static LineageRun MaskedExport(Guid runId) => new(
        runId,
        "datahub",
        "share_household_health",
        [new LineageDatasetSchema(Table, [new LineageField("household_no", "VARCHAR"), new LineageField("id_card", "VARCHAR"), new LineageField("members", "INTEGER")])],
        [new LineageDatasetSchema(Export, [new LineageField("household_no", "VARCHAR"), new LineageField("id_card_masked", "VARCHAR"), new LineageField("members", "INTEGER")])],
        [
            Edge(Table, "household_no", Export, "household_no", LineageTransformationType.Direct, "IDENTITY"),
            Edge(Table, "id_card", Export, "id_card_masked", LineageTransformationType.Direct, "TRANSFORMATION", masked: true, description: "first 6 and last 4 digits kept"),
            Edge(Table, "members", Export, "members", LineageTransformationType.Direct, "AGGREGATION", description: "sum"),
            Edge(Table, "household_no", Export, "members", LineageTransformationType.Indirect, "GROUP_BY"),
        ]);

    public static ColumnLineageEdge Edge(
        string inDataset, string inField, string outDataset, string outField, LineageTransformationType type, string subtype, bool masked = false, string? description = null) =>
        new(new LineageColumn(inDataset, inField), new LineageColumn(outDataset, outField), type, subtype, masked, description);
}
