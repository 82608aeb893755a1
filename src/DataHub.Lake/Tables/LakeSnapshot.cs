namespace DataHub.Lake.Tables;

/// <summary>One committed version of a table.</summary>
/// <param name="Id">Snapshot id (increasing in commit order).</param>
/// <param name="ParentId">The snapshot it was committed on top of.</param>
/// <param name="CommittedAt">Commit time.</param>
/// <param name="Author">Who or what committed it (a user, or <c>pipeline:name</c>).</param>
/// <param name="Message">Why.</param>
/// <param name="Operation">create, append, overwrite, merge, delete, schema or compact.</param>
/// <param name="RowsAdded">Rows the commit added.</param>
/// <param name="RowsRemoved">Rows the commit removed.</param>
/// <param name="SchemaVersion">The schema version in force from this snapshot on.</param>
public sealed record LakeSnapshot(
    long Id,
    long? ParentId,
    DateTimeOffset CommittedAt,
    string Author,
    string? Message,
    string Operation,
    long RowsAdded,
    long RowsRemoved,
    int SchemaVersion);
