namespace DataHub.Catalog.Lineage;

/// <summary>A column of a dataset, a node of the column lineage graph.</summary>
/// <param name="Dataset">
/// The dataset name: a lake table (<c>water.meter_reading_daily</c>) or a source with its namespace as a prefix
/// (<c>file:samples/water/meter_readings_2026-10-01.csv</c>). See <see cref="LineageDatasetName"/>.
/// </param>
/// <param name="Field">The column; <see cref="WholeDataset"/> for a dependency of the dataset as a whole.</param>
public sealed record LineageColumn(string Dataset, string Field)
{
    /// <summary>The field name that stands for the whole dataset (row filters, joins, grouping).</summary>
    public const string WholeDataset = "*";

    /// <inheritdoc />
    public override string ToString() => $"{Dataset}.{Field}";
}
