namespace DataHub.Quality.Service;

/// <summary>A stored quality run.</summary>
/// <param name="Id">Run id.</param>
/// <param name="Dataset">The dataset checked.</param>
/// <param name="SnapshotId">The lake snapshot checked.</param>
/// <param name="StartedAt">When it started.</param>
/// <param name="RowsScanned">Rows in that snapshot.</param>
/// <param name="Scores">Score per dimension and overall.</param>
public sealed record QualityRunRecord(long Id, string Dataset, long? SnapshotId, DateTimeOffset StartedAt, long RowsScanned, IReadOnlyDictionary<string, double> Scores);
