using DataHub.DuckDb;
using DataHub.Lake.Tables;

namespace DataHub.Themes.Spatial;

/// <summary>
/// The standard address library held in memory for geocoding: every address once (by code, the last one read wins),
/// indexed by road and door number, by division, and on a 0.01° grid for the nearest address to a point.
/// </summary>
public sealed class StandardAddressLibrary
{
    /// <summary>The lake table of the standard addresses.</summary>
    public const string Dataset = "spatial.standard_address";

    private const double Cell = 0.01;
    private readonly StandardAddress[] _addresses;
    private readonly AddressNumbers[] _numbers;
    private readonly Dictionary<(string Road, int Door), int[]> _byRoadDoor;
    private readonly Dictionary<string, (double Lon, double Lat, int Count)> _centres;
    private readonly Dictionary<long, List<int>> _grid = [];

    /// <summary>Indexes the addresses.</summary>
    /// <param name="addresses">The library's addresses (a later duplicate of a code replaces the earlier one).</param>
    public StandardAddressLibrary(IEnumerable<StandardAddress> addresses)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        var byCode = new Dictionary<string, StandardAddress>(StringComparer.Ordinal);
        foreach (var a in addresses)
        {
            byCode[a.Code] = a;
        }

        _addresses = [.. byCode.Values.OrderBy(a => a.Code, StringComparer.Ordinal)];
        _numbers = new AddressNumbers[_addresses.Length];
        var byRoadDoor = new Dictionary<(string, int), List<int>>();
        var centres = new Dictionary<string, (double, double, int)>(StringComparer.Ordinal);
        var roads = new HashSet<string>(StringComparer.Ordinal);
        var estates = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < _addresses.Length; i++)
        {
            var a = _addresses[i];
            var n = _numbers[i] = new AddressNumbers(Number(a.DoorNumber), Number(a.Building), Number(a.Unit), Number(a.Room));
            if (a.Road.Length > 0)
            {
                roads.Add(a.Road);
                var key = (a.Road, n.Door);
                if (!byRoadDoor.TryGetValue(key, out var list))
                {
                    byRoadDoor[key] = list = [];
                }

                list.Add(i);
                Accumulate(centres, a.CountyCode + "|" + a.Road, a);
            }

            if (a.Estate.Length > 0)
            {
                estates.Add(a.Estate);
            }

            Accumulate(centres, a.CountyCode, a);
            Accumulate(centres, a.TownshipCode, a);
            Accumulate(centres, a.CommunityCode, a);
            var cell = CellOf(a.Longitude, a.Latitude);
            if (!_grid.TryGetValue(cell, out var inCell))
            {
                _grid[cell] = inCell = [];
            }

            inCell.Add(i);
        }

        _byRoadDoor = byRoadDoor.ToDictionary(p => p.Key, p => p.Value.ToArray());
        _centres = centres;
        Roads = roads;
        Estates = estates;
    }

    /// <summary>The addresses, in code order.</summary>
    public IReadOnlyList<StandardAddress> Addresses => _addresses;

    /// <summary>Every road (and village group) name in the library.</summary>
    public IReadOnlySet<string> Roads { get; }

    /// <summary>Every estate name in the library.</summary>
    public IReadOnlySet<string> Estates { get; }

    /// <summary>
    /// Loads the current snapshot of <see cref="Dataset"/> from the lake through DuckDB.
    /// </summary>
    /// <param name="tables">The lake's tables.</param>
    /// <param name="ct">Cancels the read.</param>
    /// <exception cref="KeyNotFoundException">The lake has no standard addresses yet.</exception>
    public static async Task<StandardAddressLibrary> LoadAsync(LakeTables tables, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(tables);
        if (!await tables.ExistsAsync(Dataset, ct))
        {
            throw new KeyNotFoundException($"The lake has no table {Dataset} yet: run the pipeline spatial_standard_address (datahub pipeline run spatial_standard_address) first.");
        }

        var scan = await tables.ScanAsync(Dataset, LakeVersion.Current, ct);
        using var duck = new DuckDbConnection("Data Source=:memory:");
        duck.Open();
        using var command = new DuckDbCommand($"""
            SELECT address_code, full_address, county, township, community, coalesce(road, ''), coalesce(door_no, ''),
                   coalesce(estate, ''), coalesce(building, ''), coalesce(unit, ''), coalesce(room, ''), division,
                   township_code, community_code, CAST(longitude AS DOUBLE), CAST(latitude AS DOUBLE), coalesce(status, '')
            FROM ({scan.Sql}) AS src
            WHERE address_code IS NOT NULL AND longitude IS NOT NULL AND latitude IS NOT NULL AND community_code IS NOT NULL
            """, duck);
        using var registration = ct.Register(command.Cancel);
        using var reader = command.ExecuteReader();
        var addresses = new List<StandardAddress>();
        while (reader.Read())
        {
            addresses.Add(new StandardAddress(
                reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                reader.GetString(5), reader.GetString(6), reader.GetString(7), reader.GetString(8), reader.GetString(9),
                reader.GetString(10), reader.GetString(11), reader.GetString(12), reader.GetString(13), reader.GetDouble(14),
                reader.GetDouble(15), reader.GetString(16)));
        }

        return new StandardAddressLibrary(addresses);
    }

    /// <summary>Reads a standard address export file (see <see cref="StandardAddressCsv"/>); its rejected rows are left out.</summary>
    /// <param name="path">The CSV file.</param>
    public static StandardAddressLibrary FromCsv(string path) => new(StandardAddressCsv.Read(path).Addresses);

    /// <summary>
    /// The nearest address to a point (great-circle distance), optionally only among those of one county; null when
    /// there is none.
    /// </summary>
    /// <param name="longitude">Longitude in degrees.</param>
    /// <param name="latitude">Latitude in degrees.</param>
    /// <param name="countyCode">Only addresses of this county, or null for all.</param>
    public (StandardAddress Address, double Metres)? Nearest(double longitude, double latitude, string? countyCode = null)
    {
        var best = -1;
        var bestMetres = double.MaxValue;
        var (cx, cy) = ((long)Math.Floor(longitude / Cell), (long)Math.Floor(latitude / Cell));
        var metresPerCell = Cell * 111_000 * Math.Cos(latitude * Math.PI / 180);
        for (var ring = 0; ring <= 60; ring++)
        {
            if (best >= 0 && (ring - 1) * metresPerCell > bestMetres)
            {
                break;
            }

            for (var x = cx - ring; x <= cx + ring; x++)
            {
                for (var y = cy - ring; y <= cy + ring; y++)
                {
                    if (Math.Max(Math.Abs(x - cx), Math.Abs(y - cy)) != ring || !_grid.TryGetValue(Key(x, y), out var cell))
                    {
                        continue;
                    }

                    foreach (var i in cell)
                    {
                        Consider(i);
                    }
                }
            }
        }

        if (best < 0)
        {
            for (var i = 0; i < _addresses.Length; i++)
            {
                Consider(i);
            }
        }

        return best < 0 ? null : (_addresses[best], bestMetres);

        void Consider(int i)
        {
            var a = _addresses[i];
            if (countyCode is not null && a.CountyCode != countyCode)
            {
                return;
            }

            var metres = Metres(longitude, latitude, a.Longitude, a.Latitude);
            if (metres < bestMetres)
            {
                (best, bestMetres) = (i, metres);
            }
        }
    }

    /// <summary>The great-circle distance in metres (haversine, mean Earth radius).</summary>
    public static double Metres(double lon1, double lat1, double lon2, double lat2)
    {
        const double R = 6_371_008.8;
        var (p1, p2) = (lat1 * Math.PI / 180, lat2 * Math.PI / 180);
        var dp = p2 - p1;
        var dl = (lon2 - lon1) * Math.PI / 180;
        var h = Math.Sin(dp / 2) * Math.Sin(dp / 2) + Math.Cos(p1) * Math.Cos(p2) * Math.Sin(dl / 2) * Math.Sin(dl / 2);
        return 2 * R * Math.Asin(Math.Min(1, Math.Sqrt(h)));
    }

    internal ReadOnlySpan<int> AtDoor(string road, int door) =>
        _byRoadDoor.TryGetValue((road, door), out var list) ? list : [];

    internal StandardAddress this[int index] => _addresses[index];

    internal AddressNumbers NumbersOf(int index) => _numbers[index];

    /// <summary>The mean position of the addresses of a division (by code) or of a road in a county (<c>county|road</c>).</summary>
    internal (double Lon, double Lat)? Centre(string key) =>
        _centres.TryGetValue(key, out var c) ? (c.Lon / c.Count, c.Lat / c.Count) : null;

    /// <summary>The leading digits of a part such as 100号, 3栋, 2单元, 501室: 0 when empty, -1 when not a number.</summary>
    internal static int Number(string part)
    {
        if (part.Length == 0)
        {
            return 0;
        }

        var value = 0;
        var digits = 0;
        foreach (var c in part)
        {
            if (!char.IsAsciiDigit(c) || digits == 8)
            {
                break;
            }

            value = value * 10 + (c - '0');
            digits++;
        }

        return digits == 0 ? -1 : value;
    }

    private static void Accumulate(Dictionary<string, (double Lon, double Lat, int Count)> centres, string key, StandardAddress a)
    {
        var c = centres.GetValueOrDefault(key);
        centres[key] = (c.Lon + a.Longitude, c.Lat + a.Latitude, c.Count + 1);
    }

    private static long CellOf(double lon, double lat) => Key((long)Math.Floor(lon / Cell), (long)Math.Floor(lat / Cell));

    private static long Key(long x, long y) => (x << 32) ^ (y & 0xFFFF_FFFF);

    /// <summary>The number parts of an address: door, building, unit, room (0 absent, -1 not a number).</summary>
    internal readonly record struct AddressNumbers(int Door, int Building, int Unit, int Room);
}
