namespace DataHub.Lake.Tables;

/// <summary>A Parquet data file of a lake table, live from <paramref name="AddedSnapshot"/> until <paramref name="RemovedSnapshot"/>.</summary>
/// <param name="Id">Internal id.</param>
/// <param name="Path">Relative to the lake root.</param>
/// <param name="RowCount">Rows in the file.</param>
/// <param name="SizeBytes">File size.</param>
/// <param name="SchemaVersion">The schema the file was written with.</param>
/// <param name="AddedSnapshot">The snapshot that added it.</param>
/// <param name="RemovedSnapshot">The snapshot that removed it, or null while live.</param>
public sealed record LakeDataFile(long Id, string Path, long RowCount, long SizeBytes, int SchemaVersion, long AddedSnapshot, long? RemovedSnapshot)
{
    /// <summary>
    /// A merge-on-read delta (<see cref="LakeTables.ReplaceKeysAsync"/>): its rows replace the data files' rows of the
    /// same leading key value; <see cref="RowCount"/> counts its live rows (not its tombstones).
    /// </summary>
    public bool Delta { get; init; }

    /// <summary>For a delta, the data files' rows it hides.</summary>
    public long SupersededRows { get; init; }
}
