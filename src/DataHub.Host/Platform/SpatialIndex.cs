using DataHub.Themes.Spatial;

namespace DataHub.Host.Platform;

/// <summary>The geocoders built on one snapshot of the standard address library.</summary>
/// <param name="SnapshotId">The snapshot of <c>spatial.standard_address</c> they were built on.</param>
/// <param name="Geocoder">Free text → standard address.</param>
/// <param name="Reverse">Coordinates → county, township and nearest standard address.</param>
public sealed record SpatialIndex(long SnapshotId, Geocoder Geocoder, ReverseGeocoder Reverse);
