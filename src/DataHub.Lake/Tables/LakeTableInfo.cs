namespace DataHub.Lake.Tables;

/// <summary>A lake table as of one snapshot: its schema and key.</summary>
/// <param name="Id">Internal id.</param>
/// <param name="Name"><c>schema.table</c>.</param>
/// <param name="KeyColumns">The key (merge and sort order); empty when the table has none.</param>
/// <param name="SnapshotId">The snapshot this view of the table belongs to (the current one unless time travelling).</param>
/// <param name="SchemaVersion">The schema version in force at that snapshot.</param>
/// <param name="Columns">The columns in order.</param>
public sealed record LakeTableInfo(long Id, string Name, IReadOnlyList<string> KeyColumns, long SnapshotId, int SchemaVersion, IReadOnlyList<LakeColumn> Columns);
