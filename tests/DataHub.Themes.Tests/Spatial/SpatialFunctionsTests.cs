using System.Globalization;
using DataHub.DuckDb;
using DataHub.Themes.Spatial;

namespace DataHub.Themes.Tests.Spatial;

/// <summary>dh_county_at and dh_geocode inside DuckDB SQL, over the real sample file and real polygons.</summary>
public sealed class SpatialFunctionsTests
{
    [Fact]
    public void Dh_geocode_finds_the_code_of_every_usable_sample_address_read_by_duckdb()
    {
        using var duck = new DuckDbConnection("Data Source=:memory:");
        duck.Open();
        SpatialFunctions.Register(duck, DistrictBoundaries.Hefei, SpatialSamples.Geocoder);
        var file = Path.Combine(SpatialSamples.Root, "samples", "address", "standard_address_2026-09.csv").Replace("'", "''", StringComparison.Ordinal);
        using var command = duck.CreateCommand();
        command.CommandText = $"""
            SELECT count(*), count(*) FILTER (WHERE dh_geocode(replace("标准地址全称", '安徽省', '')) = "标准地址编码")
            FROM read_csv('{file}', header = true, all_varchar = true, ignore_errors = true)
            WHERE "标准地址编码" IN (SELECT unnest(string_split($codes, ',')))
            """;
        // The rows StandardAddressCsv accepts (DuckDB's reader would also take the ones with a blank division).
        command.Parameters.Add("codes", string.Join(',', SpatialSamples.Addresses.Select(a => a.Code)));
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());
        var (rows, found) = (reader.GetInt64(0), reader.GetInt64(1));
        Assert.True(rows >= SpatialSamples.Addresses.Count, $"{rows} rows read");
        Assert.Equal(rows, found);
    }

    [Fact]
    public void Dh_county_at_agrees_with_the_polygons_on_a_grid_over_the_city_on_every_thread()
    {
        using var duck = new DuckDbConnection("Data Source=:memory:");
        duck.Open();
        SpatialFunctions.Register(duck, DistrictBoundaries.Hefei);
        using var command = duck.CreateCommand();
        command.CommandText = """
            SELECT lon, lat, dh_county_at(lon, lat) FROM (
                SELECT 116.7 + (i % 200) * 0.008 AS lon, 30.9 + (i // 200) * 0.008 AS lat FROM range(40000) t(i))
            """;
        using var reader = command.ExecuteReader();
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        while (reader.Read())
        {
            var expected = DistrictBoundaries.Hefei.Locate(reader.GetDouble(0), reader.GetDouble(1))?.Code;
            var actual = reader.IsDBNull(2) ? null : reader.GetString(2);
            Assert.Equal(expected, actual);
            counts[actual ?? "none"] = counts.GetValueOrDefault(actual ?? "none") + 1;
        }

        Assert.Equal(10, counts.Count);   // all nine counties and the outside
        Assert.True(counts["340122"] > counts["340102"], string.Join(", ", counts.Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Key} {c.Value}"))));
    }
}
