namespace DataHub.Catalog;

/// <summary>An L5 attribute without data, in a coverage report.</summary>
/// <param name="Code">The L5 code.</param>
/// <param name="Name">Its name.</param>
/// <param name="MappedColumns">Columns mapped to it (in datasets that do not hold data yet).</param>
public sealed record AttributeWithoutData(string Code, string Name, int MappedColumns);
