namespace DataHub.Catalog;

/// <summary>A snapshot of a dataset's lake table.</summary>
/// <param name="Id">Snapshot id.</param>
/// <param name="CommittedAt">Commit time.</param>
/// <param name="Operation">create, append, overwrite, merge, delete, schema or compact.</param>
/// <param name="RowsAdded">Rows it added.</param>
/// <param name="RowsRemoved">Rows it removed.</param>
/// <param name="Author">Who or what committed it.</param>
/// <param name="Message">Why.</param>
public sealed record DatasetSnapshot(long Id, DateTimeOffset CommittedAt, string Operation, long RowsAdded, long RowsRemoved, string Author, string? Message);
