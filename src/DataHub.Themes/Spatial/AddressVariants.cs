using System.Text;

namespace DataHub.Themes.Spatial;

/// <summary>
/// Makes a labelled sample for the geocoder from standard addresses: each address written the way people and other
/// departments write it — without the province or the city, with colloquial division names (蜀山三里庵), full-width
/// digits, 号楼/幢/#/座 for 栋 and Chinese numerals for the unit, 3-2-501 for building-unit-room, a utility's short form
/// without township and community, stray spaces — plus planted faults with a known answer: a township of another
/// county, a community of another township (conflicts; urban addresses only), or no door number (missing; no code is right). Which variant
/// an address gets is fixed by the seed and its position.
/// </summary>
public static class AddressVariants
{
    /// <summary>The variants, in the order they are drawn from.</summary>
    public static IReadOnlyList<string> Kinds { get; } =
    [
        "full", "no-province", "no-city", "colloquial", "full-width", "building-words", "dashed", "utility", "spaces",
        "conflict-township", "conflict-community", "missing-door",
    ];

    private static readonly string[] BuildingWords = ["号楼", "幢", "#", "座"];

    /// <summary>One labelled variant per address.</summary>
    /// <param name="addresses">Standard addresses.</param>
    /// <param name="seed">Fixes the variants.</param>
    /// <param name="divisions">Hefei's divisions (default: the embedded ones).</param>
    public static IEnumerable<LabelledAddress> For(IEnumerable<StandardAddress> addresses, ulong seed, AdministrativeDivisions? divisions = null)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        divisions ??= AdministrativeDivisions.Hefei;
        var index = 0UL;
        foreach (var a in addresses)
        {
            var hash = Mix(seed ^ Mix(index++));
            yield return Make(a, Kinds[(int)(hash % (ulong)Kinds.Count)], hash >> 8, divisions);
        }
    }

    /// <summary>The variant <paramref name="kind"/> of an address.</summary>
    /// <param name="a">The standard address.</param>
    /// <param name="kind">One of <see cref="Kinds"/>.</param>
    /// <param name="hash">Picks among the choices a variant has.</param>
    /// <param name="divisions">Hefei's divisions.</param>
    public static LabelledAddress Make(StandardAddress a, string kind, ulong hash, AdministrativeDivisions divisions)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(divisions);
        var urban = a.Building.Length > 0;
        var street = a.Road + a.DoorNumber + a.Estate + a.Building + a.Unit + a.Room;
        var county = divisions.Find(a.CountyCode);
        var township = divisions.Find(a.TownshipCode);
        switch (kind)
        {
            case "full":
                return new(a.FullAddress, kind, a.Code, false, null);
            case "no-province":
                return new("合肥市" + a.County + a.Township + a.Community + street, kind, a.Code, false, null);
            case "no-city":
                return new(a.County + a.Township + a.Community + street, kind, a.Code, false, null);
            case "colloquial" when county is not null && township is not null:
                var countyWord = AdministrativeDivisions.ColloquialNames(county).FirstOrDefault() ?? a.County;
                var townshipWord = AdministrativeDivisions.ColloquialNames(township).FirstOrDefault() ?? a.Township;
                return new("合肥" + countyWord + townshipWord + a.Community + street, kind, a.Code, false, null);
            case "full-width":
                return new("合肥市" + a.County + a.Township + a.Community + FullWidth(street), kind, a.Code, false, null);
            case "building-words" when urban:
                var word = BuildingWords[(int)(hash % (ulong)BuildingWords.Length)];
                var unit = StandardAddressLibrary.Number(a.Unit) is var u and > 0 and < 10 ? "零一二三四五六七八九"[u] + "单元" : a.Unit;
                return new("合肥市" + a.County + a.Township + a.Road + a.DoorNumber + a.Estate + Digits(a.Building) + word + unit + a.Room,
                    kind, a.Code, false, null);
            case "dashed" when urban:
                return new($"合肥市{a.County}{a.Road}{a.DoorNumber}{a.Estate}{Digits(a.Building)}-{Digits(a.Unit)}-{Digits(a.Room)}", kind, a.Code, false, null);
            case "utility" when urban:
                return new($"合肥市{a.County}{a.Road}{a.DoorNumber}{a.Estate}{a.Building}{a.Room}", kind, a.Code, false, null);
            case "spaces":
                return new($"安徽省 合肥市 {a.County}\u3000{a.Township} {a.Community} {a.Road} {a.DoorNumber} {a.Estate}{a.Building} {a.Unit}{a.Room}".Replace("  ", " ", StringComparison.Ordinal),
                    kind, a.Code, false, null);
            case "conflict-township" when county is not null:
                var others = divisions.Townships.Where(t => t.County != county && !divisions.Townships.Any(s => s.County == county && s.Name == t.Name)).ToList();
                var other = others[(int)(hash % (ulong)others.Count)];
                return new("合肥市" + a.County + other.Name + a.Community + street, kind, a.Code, true, null);
            // Only where road, door number and flat still single the address out: a village address has no more than
            // its village to tell 3组870号 of one village from that of the next.
            case "conflict-community" when urban && township is not null && county is not null:
                var elsewhere = divisions.Communities.Where(c => c.County == county && c.Township != township
                    && !divisions.Communities.Any(s => s.Township == township && s.ShortName == c.ShortName)).ToList();
                if (elsewhere.Count == 0)
                {
                    goto default;
                }

                var stranger = elsewhere[(int)(hash % (ulong)elsewhere.Count)];
                return new("合肥市" + a.County + a.Township + stranger.ShortName + street, kind, a.Code, true, null);
            case "missing-door":
                return new("合肥市" + a.County + a.Township + a.Community + a.Road + a.Estate + a.Building + a.Unit + a.Room, kind, null, false, AddressPart.DoorNumber);
            default:
                return Make(a, "no-province", hash, divisions) with { Variant = "no-province" };
        }
    }

    private static string Digits(string part) => new([.. part.TakeWhile(char.IsAsciiDigit)]);

    private static string FullWidth(string text)
    {
        var b = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            b.Append(char.IsAsciiDigit(c) ? (char)(c + 0xFEE0) : c);
        }

        return b.ToString();
    }

    private static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
        return z ^ (z >> 31);
    }
}
