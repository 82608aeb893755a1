namespace DataHub.Lake.Tables;

/// <summary>What a maintenance run did.</summary>
/// <param name="SnapshotsExpired">Snapshots removed from the catalog.</param>
/// <param name="FilesDeleted">Files deleted from the lake, relative to its root.</param>
public sealed record LakeMaintenanceResult(int SnapshotsExpired, IReadOnlyList<string> FilesDeleted);
