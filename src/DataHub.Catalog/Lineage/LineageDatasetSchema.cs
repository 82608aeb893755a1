namespace DataHub.Catalog.Lineage;

/// <summary>A dataset a run reads or writes, with its fields.</summary>
/// <param name="Dataset">The dataset name (see <see cref="LineageDatasetName"/>).</param>
/// <param name="Fields">Its fields in order; empty when not known yet (a START event before the files are read).</param>
public sealed record LineageDatasetSchema(string Dataset, IReadOnlyList<LineageField> Fields);
