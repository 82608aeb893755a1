namespace DataHub.Lake.Tables;

/// <summary>What a commit did.</summary>
/// <param name="Snapshot">The new snapshot (now current).</param>
/// <param name="FilesAdded">Files the commit added.</param>
/// <param name="FilesRemoved">How many files it retired.</param>
/// <param name="Attempts">How many times the catalog transaction ran (more than 1 after a concurrent commit).</param>
/// <param name="CommitDuration">Time spent in the catalog transaction(s), retries included (Parquet writing excluded).</param>
public sealed record LakeCommitResult(LakeSnapshot Snapshot, IReadOnlyList<LakeDataFile> FilesAdded, int FilesRemoved, int Attempts, TimeSpan CommitDuration = default);
