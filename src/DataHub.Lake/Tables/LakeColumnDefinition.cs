namespace DataHub.Lake.Tables;

/// <summary>A column to create: name and DuckDB type (the field id is assigned by the table).</summary>
/// <param name="Name">Lower-case identifier.</param>
/// <param name="Type">DuckDB type.</param>
public sealed record LakeColumnDefinition(string Name, string Type);
