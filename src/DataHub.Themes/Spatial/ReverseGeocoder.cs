namespace DataHub.Themes.Spatial;

/// <summary>
/// Coordinates → the containing county (point in polygon over <see cref="DistrictBoundaries"/>, NetTopologySuite),
/// its township and community as those of the nearest standard address inside that county, and that address.
/// </summary>
/// <param name="boundaries">The county polygons.</param>
/// <param name="library">The standard addresses.</param>
/// <param name="divisions">Hefei's divisions (default: the embedded ones).</param>
public sealed class ReverseGeocoder(DistrictBoundaries boundaries, StandardAddressLibrary library, AdministrativeDivisions? divisions = null)
{
    private readonly DistrictBoundaries _boundaries = boundaries ?? throw new ArgumentNullException(nameof(boundaries));
    private readonly StandardAddressLibrary _library = library ?? throw new ArgumentNullException(nameof(library));
    private readonly AdministrativeDivisions _divisions = divisions ?? AdministrativeDivisions.Hefei;

    /// <summary>Locates a point.</summary>
    /// <param name="longitude">Degrees east, −180–180.</param>
    /// <param name="latitude">Degrees north, −90–90.</param>
    /// <exception cref="ArgumentOutOfRangeException">A coordinate is out of range or not a number.</exception>
    public ReverseGeocodeResult Locate(double longitude, double latitude)
    {
        if (!(longitude is >= -180 and <= 180))
        {
            throw new ArgumentOutOfRangeException(nameof(longitude), longitude, $"The longitude {longitude} is not between -180 and 180.");
        }

        if (!(latitude is >= -90 and <= 90))
        {
            throw new ArgumentOutOfRangeException(nameof(latitude), latitude, $"The latitude {latitude} is not between -90 and 90.");
        }

        var county = _boundaries.Locate(longitude, latitude);
        var nearest = _library.Nearest(longitude, latitude, county?.Code) ?? (county is null ? null : _library.Nearest(longitude, latitude));
        var inCounty = nearest is { } n && county is { } c && n.Address.CountyCode == c.Code;
        return new ReverseGeocodeResult(
            longitude, latitude,
            county is { } found ? new DivisionMatch(found.Code, _divisions.Find(found.Code)?.Name ?? found.Name) : null,
            inCounty ? DivisionMatch.Of(_divisions.Find(nearest!.Value.Address.TownshipCode)) : null,
            inCounty ? DivisionMatch.Of(_divisions.Find(nearest!.Value.Address.CommunityCode)) : null,
            nearest?.Address.Code, nearest?.Address.FullAddress, nearest is { } m ? Math.Round(m.Metres, 1) : null);
    }
}
