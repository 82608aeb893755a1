using DataHub.Lake.Tables;
using DataHub.Themes.Spatial;

namespace DataHub.Host.Platform;

/// <summary>
/// The spatial theme over a started platform: the geocoder and reverse geocoder on the current snapshot of
/// <c>spatial.standard_address</c>, loaded on first use and again whenever a new snapshot has been committed.
/// </summary>
/// <remarks>
/// Whether a new snapshot has landed is asked of the catalog at most once every <see cref="Recheck"/>, so a busy
/// geocoding endpoint does not query PostgreSQL on every call.
/// </remarks>
public sealed class SpatialComponents : IDisposable
{
    /// <summary>How long a loaded library is used before the catalog is asked for a newer snapshot.</summary>
    public static readonly TimeSpan Recheck = TimeSpan.FromSeconds(5);

    private readonly DataHubPlatform _platform;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private SpatialIndex? _current;
    private long _checkedAt;

    /// <summary>Over a started platform, on the system clock.</summary>
    /// <param name="platform">The started platform.</param>
    public SpatialComponents(DataHubPlatform platform)
        : this(platform, TimeProvider.System)
    {
    }

    /// <summary>Over a started platform.</summary>
    /// <param name="platform">The started platform.</param>
    /// <param name="time">The clock of the recheck interval.</param>
    public SpatialComponents(DataHubPlatform platform, TimeProvider time)
    {
        _platform = platform ?? throw new ArgumentNullException(nameof(platform));
        _time = time ?? throw new ArgumentNullException(nameof(time));
    }

    /// <summary>The geocoders on the library's current snapshot.</summary>
    /// <param name="ct">Cancels the load.</param>
    /// <exception cref="KeyNotFoundException">No standard addresses are in the lake yet.</exception>
    public async Task<SpatialIndex> GetAsync(CancellationToken ct)
    {
        if (_current is { } fresh && _time.GetElapsedTime(Interlocked.Read(ref _checkedAt)) < Recheck)
        {
            return fresh;
        }

        if (!await _platform.Tables.ExistsAsync(StandardAddressLibrary.Dataset, ct))
        {
            throw new KeyNotFoundException($"The lake has no table {StandardAddressLibrary.Dataset} yet: run the pipeline spatial_standard_address (datahub pipeline run spatial_standard_address) first.");
        }

        var snapshot = (await _platform.Tables.ScanAsync(StandardAddressLibrary.Dataset, LakeVersion.Current, ct)).Table.SnapshotId;
        if (_current is { } known && known.SnapshotId == snapshot)
        {
            Interlocked.Exchange(ref _checkedAt, _time.GetTimestamp());
            return known;
        }

        await _gate.WaitAsync(ct);
        try
        {
            if (_current is { } loaded && loaded.SnapshotId == snapshot)
            {
                return loaded;
            }

            var library = await StandardAddressLibrary.LoadAsync(_platform.Tables, ct);
            _current = new SpatialIndex(snapshot, new Geocoder(library), new ReverseGeocoder(DistrictBoundaries.Hefei, library));
            Interlocked.Exchange(ref _checkedAt, _time.GetTimestamp());
            return _current;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public void Dispose() => _gate.Dispose();
}
