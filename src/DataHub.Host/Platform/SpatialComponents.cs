using DataHub.Lake.Tables;
using DataHub.Themes.Spatial;

namespace DataHub.Host.Platform;

/// <summary>
/// The spatial theme over a started platform: the geocoder and reverse geocoder on the current snapshot of
/// <c>spatial.standard_address</c>, loaded on first use and again whenever a new snapshot has been committed.
/// </summary>
/// <param name="platform">The started platform.</param>
public sealed class SpatialComponents(DataHubPlatform platform) : IDisposable
{
    private readonly DataHubPlatform _platform = platform ?? throw new ArgumentNullException(nameof(platform));
    private readonly SemaphoreSlim _gate = new(1, 1);
    private SpatialIndex? _current;

    /// <summary>The geocoders on the library's current snapshot.</summary>
    /// <param name="ct">Cancels the load.</param>
    /// <exception cref="KeyNotFoundException">No standard addresses are in the lake yet.</exception>
    public async Task<SpatialIndex> GetAsync(CancellationToken ct)
    {
        if (!await _platform.Tables.ExistsAsync(StandardAddressLibrary.Dataset, ct))
        {
            throw new KeyNotFoundException($"The lake has no table {StandardAddressLibrary.Dataset} yet: run the pipeline spatial_standard_address (datahub pipeline run spatial_standard_address) first.");
        }

        var snapshot = (await _platform.Tables.ScanAsync(StandardAddressLibrary.Dataset, LakeVersion.Current, ct)).Table.SnapshotId;
        if (_current is { } known && known.SnapshotId == snapshot)
        {
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
