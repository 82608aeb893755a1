using System.Collections.Concurrent;
using DataHub.Themes.Spatial;

namespace DataHub.Host.Samples;

/// <summary>
/// The addresses of the theme sources' people and enterprises, taken from the generated standard address library
/// (<see cref="AddressShape"/>, <c>samples/address</c>), and the ways the departments write them. A household's or
/// enterprise's place is one of the library's first <see cref="LibraryRows"/> rows — a valid (有效) one the export
/// carries clean, in the county (and urban or rural, where the county has such) the place drawn for it would have
/// been in, so its citizen and credit code prefixes stay those of its county — except for one in fifty, which lives
/// at a place the library does not list (a road or door number it does not have). How a source writes a place is
/// fixed per record (<see cref="SampleAddressStyle"/>): registers mostly in full, people as they say it, the water
/// company in its short form, and a few percent with the room or door number left out.
/// </summary>
internal sealed class SampleAddresses
{
    /// <summary>The library rows the places are drawn from: the sample library's <c>--rows 400</c>.</summary>
    public const int LibraryRows = 400;

    /// <summary>Places the library does not list: one in fifty.</summary>
    private const int UnlistedPerMille = 20;

    private static readonly ConcurrentDictionary<ulong, SampleAddresses> Books = new();

    private readonly SamplePlace[] _listed;
    private readonly Dictionary<(string County, bool Urban), SamplePlace[]> _byKind;
    private readonly Dictionary<string, SamplePlace[]> _byCounty;
    private readonly HashSet<(string Road, int Door)> _streets = [];

    private SampleAddresses(ulong seed)
    {
        var shape = new AddressShape();
        var listed = new List<SamplePlace>();
        for (var i = 0L; i < LibraryRows; i++)
        {
            var (place, status) = AddressShape.Standard(seed, i);
            _streets.Add(Street(place));
            if (status == "有效" && SampleGenerator.DirtAt(shape, seed, i) is null)
            {
                listed.Add(place);
            }
        }

        _listed = [.. listed];
        _byKind = listed.GroupBy(p => (p.County.Code, p.IsUrban)).ToDictionary(g => g.Key, g => g.ToArray());
        _byCounty = listed.GroupBy(p => p.County.Code, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);
    }

    /// <summary>The library's places for a seed (made once).</summary>
    public static SampleAddresses Of(ulong seed) => Books.GetOrAdd(seed, s => new SampleAddresses(s));

    /// <summary>The valid places the export of the library's first <see cref="LibraryRows"/> rows carries clean.</summary>
    public IReadOnlyList<SamplePlace> Listed => _listed;

    /// <summary>
    /// The place of a household, person or enterprise whose place was drawn from <paramref name="hash"/>
    /// (<see cref="SamplePlace.For"/>): a listed standard address of that place's county and kind, or — one in fifty —
    /// that place itself, kept off the library's roads and door numbers.
    /// </summary>
    /// <param name="hash">The hash the place is drawn from.</param>
    /// <param name="urbanShare">The share of communities among the places drawn.</param>
    /// <param name="avoid">A library row not to give (the place moved from), or -1.</param>
    public SamplePlace Place(ulong hash, double urbanShare, long avoid = -1)
    {
        var drawn = SamplePlace.For(hash, urbanShare);
        var pick = Mix(hash ^ 0x5DEECE66DUL);
        if (pick % 1000 < UnlistedPerMille)
        {
            return Unlisted(drawn, hash, urbanShare);
        }

        var places = _byKind.GetValueOrDefault((drawn.County.Code, drawn.IsUrban)) ?? _byCounty.GetValueOrDefault(drawn.County.Code) ?? _listed;
        var at = (int)(pick / 1000 % (ulong)places.Length);
        return places[at].LibraryIndex == avoid && places.Length > 1 ? places[(at + 1) % places.Length] : places[at];
    }

    /// <summary>Whether the library has a standard address on that road (or village group) at that door number.</summary>
    public bool HasStreet(SamplePlace place) => _streets.Contains(Street(place));

    /// <summary>
    /// The standard address code an address written so should be linked to: the place's code when the library lists
    /// it and the style leaves nothing out, else null (deliberately unresolvable).
    /// </summary>
    public static string? Resolves(SamplePlace place, SampleAddressStyle style) =>
        style is SampleAddressStyle.NoRoom or SampleAddressStyle.NoDoor ? null : place.StandardCode;

    private SamplePlace Unlisted(SamplePlace drawn, ulong hash, double urbanShare)
    {
        var place = drawn;
        for (var h = hash; _streets.Contains(Street(place)) || place.County != drawn.County; )
        {
            h = Mix(h);
            place = SamplePlace.For(h, urbanShare);
        }

        return place;
    }

    private static (string Road, int Door) Street(SamplePlace place) =>
        (place.IsUrban ? place.Road : string.Concat(place.Group.ToString(System.Globalization.CultureInfo.InvariantCulture), "组"), place.DoorNumber);

    /// <summary>A household register's or the market register's style: 88 % in full, 4 % without the province, 5 % with 幢/号楼; 3 % without the room (a village's door number).</summary>
    public static SampleAddressStyle Register(ulong seed, ulong stream, long position) =>
        new SampleRandom(seed, stream, (ulong)position).Next(100) switch
        {
            < 88 => SampleAddressStyle.Full,
            < 92 => SampleAddressStyle.NoProvince,
            < 97 => SampleAddressStyle.BuildingWords,
            _ => SampleAddressStyle.NoRoom,
        };

    /// <summary>How people write where they live (social insurance, a tax declaration): 28 % in full, the rest in every other way; 4 % without the room or door number.</summary>
    public static SampleAddressStyle Declared(ulong seed, ulong stream, long position) =>
        new SampleRandom(seed, stream, (ulong)position).Next(100) switch
        {
            < 28 => SampleAddressStyle.Full,
            < 48 => SampleAddressStyle.NoProvince,
            < 60 => SampleAddressStyle.Colloquial,
            < 68 => SampleAddressStyle.FullWidth,
            < 83 => SampleAddressStyle.BuildingWords,
            < 96 => SampleAddressStyle.Dashed,
            < 98 => SampleAddressStyle.NoRoom,
            _ => SampleAddressStyle.NoDoor,
        };

    /// <summary>The water company's style: 86 % its short form, 11 % with 幢/号楼, full-width digits or dashed; 3 % without the room.</summary>
    public static SampleAddressStyle Utility(ulong seed, ulong stream, long position) =>
        new SampleRandom(seed, stream, (ulong)position).Next(100) switch
        {
            < 86 => SampleAddressStyle.Utility,
            < 91 => SampleAddressStyle.BuildingWords,
            < 94 => SampleAddressStyle.FullWidth,
            < 97 => SampleAddressStyle.Dashed,
            _ => SampleAddressStyle.NoRoom,
        };

    /// <summary>Writes <paramref name="place"/> in <paramref name="style"/> into the field being made.</summary>
    /// <param name="row">The row, between <see cref="SampleRow.Begin"/> and <see cref="SampleRow.End"/>.</param>
    /// <param name="place">The place.</param>
    /// <param name="style">The way of writing it (a village address has no building, unit or room: its variants fall back).</param>
    public static void Write(SampleRow row, SamplePlace place, SampleAddressStyle style)
    {
        var county = place.County.Name;
        var township = place.Village.Township.Name;
        var wide = style == SampleAddressStyle.FullWidth;
        switch (style)
        {
            case SampleAddressStyle.Full:
                row.Append("安徽省合肥市").Append(county).Append(township).Append(place.Village.ShortName);
                break;
            case SampleAddressStyle.Colloquial:
                row.Append("合肥").Append(Colloquial(place.County.Code, county)).Append(Colloquial(place.Village.Township.Code, township)).Append(place.Village.ShortName);
                break;
            case SampleAddressStyle.BuildingWords or SampleAddressStyle.Dashed or SampleAddressStyle.Utility when place.IsUrban:
                row.Append("合肥市").Append(county);
                if (style == SampleAddressStyle.BuildingWords)
                {
                    row.Append(township);
                }

                break;
            default:
                row.Append("合肥市").Append(county).Append(township).Append(place.Village.ShortName);
                break;
        }

        if (!place.IsUrban)
        {
            Number(row, place.Group, wide).Append('组');
            if (style is not SampleAddressStyle.NoRoom and not SampleAddressStyle.NoDoor)
            {
                Number(row, place.DoorNumber, wide).Append('号');
            }

            return;
        }

        row.Append(place.Road);
        if (style != SampleAddressStyle.NoDoor)
        {
            Number(row, place.DoorNumber, wide).Append('号');
        }

        place.AppendEstate(row);
        switch (style)
        {
            case SampleAddressStyle.BuildingWords:
                // 5幢 or 5号楼, and the unit in Chinese numerals (二单元), as older household books and forms write them.
                row.Append(place.Building).Append(place.Room % 2 == 0 ? "幢" : "号楼").Append("零一二三四五六七八九"[place.Unit]).Append("单元").Append(place.Room).Append('室');
                break;
            case SampleAddressStyle.Dashed:
                row.Append(place.Building).Append('-').Append(place.Unit).Append('-').Append(place.Room);
                break;
            case SampleAddressStyle.Utility:
                row.Append(place.Building).Append('栋').Append(place.Room).Append('室');
                break;
            case SampleAddressStyle.NoRoom:
                row.Append(place.Building).Append('栋').Append(place.Unit).Append("单元");
                break;
            default:
                Number(row, place.Building, wide).Append('栋');
                Number(row, place.Unit, wide).Append("单元");
                Number(row, place.Room, wide).Append('室');
                break;
        }
    }

    /// <summary>A county or township as people say it: 蜀山 for 蜀山区, 三里庵 for 三里庵街道 (the official name where there is no shorter one).</summary>
    private static string Colloquial(string code, string name) =>
        AdministrativeDivisions.Hefei.Find(code) is { } division ? AdministrativeDivisions.ColloquialNames(division).FirstOrDefault() ?? name : name;

    private static SampleRow Number(SampleRow row, long value, bool wide)
    {
        if (!wide)
        {
            return row.Append(value);
        }

        Span<char> digits = stackalloc char[20];
        value.TryFormat(digits, out var length, default, System.Globalization.CultureInfo.InvariantCulture);
        foreach (var c in digits[..length])
        {
            row.Append((char)(c - '0' + '０'));
        }

        return row;
    }

    private static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
