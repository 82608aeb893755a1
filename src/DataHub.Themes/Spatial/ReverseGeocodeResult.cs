namespace DataHub.Themes.Spatial;

/// <summary>The answer for one point.</summary>
/// <param name="Longitude">The point's longitude.</param>
/// <param name="Latitude">Its latitude.</param>
/// <param name="County">The county whose polygon contains it; null outside Hefei.</param>
/// <param name="Township">The township of the nearest standard address in that county (no township polygons are published).</param>
/// <param name="Community">The community of that address.</param>
/// <param name="NearestCode">The nearest standard address in that county (anywhere when outside): its code.</param>
/// <param name="NearestAddress">Its full text.</param>
/// <param name="NearestMetres">Its great-circle distance from the point, in metres.</param>
public sealed record ReverseGeocodeResult(
    double Longitude, double Latitude, DivisionMatch? County, DivisionMatch? Township, DivisionMatch? Community,
    string? NearestCode, string? NearestAddress, double? NearestMetres);
