using DataHub.DuckDb;

namespace DataHub.Themes.Spatial;

/// <summary>
/// The spatial theme as DuckDB functions, for use inside SQL over the lake: <c>dh_county_at(lng DOUBLE, lat DOUBLE)</c>
/// gives the code of the county whose polygon contains the point (NULL outside Hefei), and <c>dh_geocode(address
/// VARCHAR)</c> the standard address code of a free-text address (NULL unless it matches one address).
/// </summary>
public static class SpatialFunctions
{
    /// <summary>The point-in-polygon function's name.</summary>
    public const string CountyAt = "dh_county_at";

    /// <summary>The geocoding function's name.</summary>
    public const string Geocode = "dh_geocode";

    /// <summary>Registers <c>dh_county_at</c> and, given a geocoder, <c>dh_geocode</c> on the connection's database.</summary>
    /// <param name="connection">An open connection.</param>
    /// <param name="boundaries">The county polygons.</param>
    /// <param name="geocoder">The geocoder, or null to register only the point-in-polygon function.</param>
    public static void Register(DuckDbConnection connection, DistrictBoundaries boundaries, Geocoder? geocoder = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(boundaries);
        connection.RegisterScalarFunction(DuckDbScalarFunction.Create<double, double, string>(CountyAt, (lon, lat) => boundaries.Locate(lon, lat)?.Code));
        if (geocoder is not null)
        {
            connection.RegisterScalarFunction(DuckDbScalarFunction.Create<string, string>(Geocode, address =>
                string.IsNullOrWhiteSpace(address) || address.Length > 200 ? null : geocoder.Geocode(address).Code));
        }
    }
}
