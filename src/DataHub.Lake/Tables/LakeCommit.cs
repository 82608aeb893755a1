using Npgsql;

namespace DataHub.Lake.Tables;

/// <summary>Who commits and why; recorded on the snapshot.</summary>
/// <param name="Author">A user name or <c>pipeline:name</c>.</param>
/// <param name="Message">Why (free text).</param>
public sealed record LakeCommit(string Author, string? Message = null)
{
    /// <summary>
    /// Appends to other tables, prepared with <see cref="LakeTables.PrepareAppendAsync"/>, that become visible in the
    /// same catalog transaction as this commit: all of them or none (e.g. a pipeline's rows and its quarantine).
    /// </summary>
    public IReadOnlyList<LakePreparedAppend> Also { get; init; } = [];

    /// <summary>
    /// Work that must commit atomically with the snapshot (run bookkeeping, ingested-file hashes): called inside the
    /// catalog transaction after the snapshot is recorded and before it commits. It may run more than once when the
    /// transaction is retried (each earlier attempt rolled back), so it must only write through the transaction.
    /// </summary>
    public Func<NpgsqlConnection, NpgsqlTransaction, LakeSnapshot, CancellationToken, Task>? Within { get; init; }
}

/// <summary>An append whose Parquet file is written but not committed; pass it in <see cref="LakeCommit.Also"/>.</summary>
public sealed class LakePreparedAppend
{
    internal LakePreparedAppend(LakeTableInfo table, string? path, long rows, long sizeBytes, int schemaVersion, string? stats)
    {
        Table = table;
        Path = path;
        Rows = rows;
        SizeBytes = sizeBytes;
        SchemaVersion = schemaVersion;
        Stats = stats;
    }

    /// <summary>The table appended to.</summary>
    public LakeTableInfo Table { get; }

    /// <summary>The lake-relative path of the written file (null when there are no rows).</summary>
    public string? Path { get; }

    /// <summary>Rows in the file.</summary>
    public long Rows { get; }

    internal long SizeBytes { get; }

    internal int SchemaVersion { get; }

    internal string? Stats { get; }
}
