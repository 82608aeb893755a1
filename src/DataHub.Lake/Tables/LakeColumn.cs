namespace DataHub.Lake.Tables;

/// <summary>A column of a lake table: a stable field id, its current name and DuckDB type.</summary>
/// <param name="FieldId">Never reused within a table; survives renames and type widening.</param>
/// <param name="Name">Lower-case identifier.</param>
/// <param name="Type">DuckDB type, such as <c>BIGINT</c> or <c>DECIMAL(12,2)</c>.</param>
public sealed record LakeColumn(int FieldId, string Name, string Type);
