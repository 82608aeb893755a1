namespace DataHub.Themes.Fusion;

/// <summary>What a theme build did.</summary>
/// <param name="Theme">The theme.</param>
/// <param name="Table">The lake table written.</param>
/// <param name="Mode">full or incremental.</param>
/// <param name="Records">Golden records in the theme after the build.</param>
/// <param name="Written">Golden records written by this build (all of them for a full build; the affected keys for an incremental one).</param>
/// <param name="Conflicts">Fields of records whose sources disagree, after the build.</param>
/// <param name="Sources">Per source: rows read, rows whose key was normalised, rows whose key is invalid.</param>
/// <param name="SnapshotId">The theme table's new snapshot.</param>
/// <param name="Duration">How long it took.</param>
public sealed record ThemeBuildResult(
    string Theme, string Table, string Mode, long Records, long Written, long Conflicts, IReadOnlyList<ThemeSourceReport> Sources, long SnapshotId, TimeSpan Duration)
{
    /// <summary>Where the time went: stage, rank, geocode, write, conflicts, history, state.</summary>
    public IReadOnlyDictionary<string, TimeSpan> Phases { get; init; } = new Dictionary<string, TimeSpan>();

    /// <summary>Distinct address texts geocoded by this build (those the state had not seen; 0 for a theme without geocoded fields).</summary>
    public long AddressesGeocoded { get; init; }

    /// <summary>Of <see cref="AddressesGeocoded"/>, those matched to one standard address (given its code).</summary>
    public long AddressesMatched { get; init; }

    /// <summary>The standard address library's snapshot the links were made against, or null (no geocoded field, or no library yet).</summary>
    public long? LibrarySnapshotId { get; init; }

    /// <summary>The theme table's quality run after the build (its rules, the sources' conflicts among them), or null.</summary>
    public ThemeQualityReport? Quality { get; init; }
}

/// <summary>One source's part in a build.</summary>
/// <param name="Id">The source id.</param>
/// <param name="Dataset">Its dataset.</param>
/// <param name="SnapshotId">The dataset snapshot read (null when the dataset has no data yet).</param>
/// <param name="Rows">Keys read: rows selected by the source's conditions, once per key a row names (a marriage names two).</param>
/// <param name="InvalidKeys">Rows whose key could not be normalised (left out).</param>
public sealed record ThemeSourceReport(string Id, string Dataset, long? SnapshotId, long Rows, long InvalidKeys)
{
    /// <summary>Rows keyed by an old 15-character taxpayer number that were resolved to a credit code.</summary>
    public long OldNumbers { get; init; }
}
