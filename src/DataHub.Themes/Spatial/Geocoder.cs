using System.Globalization;

namespace DataHub.Themes.Spatial;

/// <summary>
/// Address standardisation and geocoding over the standard address library: a free-text address is parsed into the
/// hierarchy (<see cref="AddressParser"/>), its divisions are resolved against Hefei's divisions (a township that is
/// not in the county given is a conflict), and the road and door number select the library's candidates, which are
/// scored part by part (divisions, estate, building, unit, room). One best candidate whose given parts all agree is
/// an address match with its code; several equally good ones give the deepest level they share and no code; without
/// road and door number the answer is the finest division the text names. Thread-safe: one instance serves every
/// caller.
/// </summary>
public sealed class Geocoder
{
    private static readonly Dictionary<MatchLevel, double> LevelWeight = new()
    {
        [MatchLevel.None] = 0,
        [MatchLevel.County] = 0.25,
        [MatchLevel.Township] = 0.35,
        [MatchLevel.Community] = 0.45,
        [MatchLevel.Road] = 0.5,
        [MatchLevel.DoorNumber] = 0.7,
        [MatchLevel.Building] = 0.8,
        [MatchLevel.Unit] = 0.85,
        [MatchLevel.Address] = 1,
    };

    private readonly AdministrativeDivisions _divisions;
    private readonly AddressParser _parser;

    /// <summary>A geocoder over a library and the divisions.</summary>
    /// <param name="library">The standard addresses.</param>
    /// <param name="divisions">Hefei's divisions (default: the embedded ones).</param>
    public Geocoder(StandardAddressLibrary library, AdministrativeDivisions? divisions = null)
    {
        Library = library ?? throw new ArgumentNullException(nameof(library));
        _divisions = divisions ?? AdministrativeDivisions.Hefei;
        _parser = new AddressParser(new AddressLexicon(_divisions, library));
    }

    /// <summary>The library matched against.</summary>
    public StandardAddressLibrary Library { get; }

    /// <summary>Parses an address without matching it.</summary>
    /// <param name="address">Free text.</param>
    public ParsedAddress Parse(string address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return _parser.Parse(address).ToParsed();
    }

    /// <summary>Geocodes one free-text address.</summary>
    /// <param name="address">Such as 合肥市蜀山区三里庵街道长江西路100号3栋2单元501室.</param>
    /// <exception cref="ArgumentException">The address is empty or longer than 200 characters.</exception>
    public GeocodeResult Geocode(string address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (string.IsNullOrWhiteSpace(address))
        {
            throw new ArgumentException("The address to geocode is empty.", nameof(address));
        }

        if (address.Length > 200)
        {
            throw new ArgumentException($"The address to geocode is {address.Length} characters long; at most 200 are accepted.", nameof(address));
        }

        var t = _parser.Parse(address);
        var issues = new List<AddressIssue>();
        var county = t.Counties?[0];
        var township = Resolve(t.Townships, t.TownshipText, county, AddressPart.Township, issues);
        var community = Resolve(t.Communities, t.CommunityText, township ?? county, AddressPart.Community, issues);
        county ??= township?.County ?? community?.County;
        township ??= community?.Township;
        foreach (var fragment in t.Unparsed)
        {
            issues.Add(new AddressIssue(AddressIssueKind.Unknown, AddressPart.Road, $"'{fragment}' is no part of an address the library knows."));
        }

        if (t.Road is not null && t.Door is not null)
        {
            var match = MatchStreet(t, county, issues);
            if (match is not null)
            {
                return Finish(address, t, match, issues);
            }
        }

        // No street match: the finest division named, or the road's centre in it.
        var level = community is not null ? MatchLevel.Community : township is not null ? MatchLevel.Township : county is not null ? MatchLevel.County : MatchLevel.None;
        var centre = (community ?? township ?? county) is { } finest ? Library.Centre(finest.Code) : null;
        if (t.Road is not null && t.RoadKnown && county is not null && Library.Centre(county.Code + "|" + t.Road) is { } roadCentre)
        {
            level = MatchLevel.Road;
            centre = community is null ? roadCentre : centre ?? roadCentre;
        }

        if (t.Road is null)
        {
            issues.Add(new AddressIssue(AddressIssueKind.Missing, AddressPart.Road, "The address names no road (街路巷) or village group."));
        }
        else if (!t.RoadKnown)
        {
            issues.Add(new AddressIssue(AddressIssueKind.Unknown, AddressPart.Road, $"The road '{t.Road}' is not in the standard address library."));
        }

        if (t.Door is null)
        {
            issues.Add(new AddressIssue(AddressIssueKind.Missing, AddressPart.DoorNumber, "The address has no door number (门牌号)."));
        }

        if (county is null && level != MatchLevel.None)
        {
            issues.Add(new AddressIssue(AddressIssueKind.Missing, AddressPart.County, "The address names no county (区县)."));
        }

        return new GeocodeResult(address, level, Score(level, t, issues), null, null, DivisionMatch.Of(county), DivisionMatch.Of(township),
            DivisionMatch.Of(community), centre?.Lon, centre?.Lat, 0, t.ToParsed(), issues);
    }

    private static Division? Resolve(List<Division>? named, string? text, Division? within, AddressPart part, List<AddressIssue> issues)
    {
        if (named is null)
        {
            return null;
        }

        if (within is null)
        {
            return named.Count == 1 ? named[0] : null;
        }

        var inside = named.Where(within.Contains).ToList();
        if (inside.Count == 0)
        {
            var where = string.Join("、", named.Select(d => $"{d.Parent!.Name} {d.Parent.Code}"));
            issues.Add(new AddressIssue(AddressIssueKind.Conflict, part,
                $"{Label(part)} '{text}' is not in {within.Name} ({within.Code}); it is in {where}."));
            return null;
        }

        return inside.Count == 1 ? inside[0] : null;
    }

    private StreetMatch? MatchStreet(AddressParser.Tokens t, Division? county, List<AddressIssue> issues)
    {
        var candidates = Library.AtDoor(t.Road!, t.Door!.Value);
        if (candidates.IsEmpty)
        {
            var where = county is null ? string.Empty : " in " + county.Name;
            issues.Add(new AddressIssue(AddressIssueKind.Unknown, AddressPart.DoorNumber,
                string.Create(CultureInfo.InvariantCulture, $"The library has no {t.Road}{t.Door}号{where}.")));
            return null;
        }

        var bestScore = int.MinValue;
        var tied = new List<int>();
        foreach (var i in candidates)
        {
            var score = Score(t, i);
            if (score > bestScore)
            {
                bestScore = score;
                tied.Clear();
            }

            if (score == bestScore)
            {
                tied.Add(i);
            }
        }

        var best = tied[0];
        var n = Library.NumbersOf(best);
        var level = MatchLevel.DoorNumber;
        if (Agrees(t.Building, n.Building))
        {
            level = MatchLevel.Building;
            if (Agrees(t.Unit, n.Unit))
            {
                level = MatchLevel.Unit;
            }
        }

        var detailConflict = Differs(t.Building, n.Building) || Differs(t.Unit, n.Unit) || Differs(t.Room, n.Room);
        if (tied.Count == 1 && !detailConflict && (n.Room == 0 || t.Room == n.Room))
        {
            level = MatchLevel.Address;
        }
        else if (detailConflict)
        {
            issues.Add(new AddressIssue(AddressIssueKind.Unknown, AddressPart.Room,
                $"No standard address at {t.Road}{t.Door}号 has {Details(t)}."));
        }

        return new StreetMatch(tied, level);
    }

    private int Score(AddressParser.Tokens t, int i)
    {
        var a = Library[i];
        var n = Library.NumbersOf(i);
        var score = 0;
        if (t.Counties is { } counties)
        {
            score += counties.Any(c => c.Code == a.CountyCode) ? 5 : -6;
        }

        if (t.Townships is { } townships)
        {
            score += townships.Any(c => c.Code == a.TownshipCode) ? 5 : -6;
        }

        if (t.Communities is { } communities)
        {
            score += communities.Any(c => c.Code == a.CommunityCode) ? 5 : -6;
        }

        if (t.Estate is not null && !t.EstateUnknown)
        {
            score += t.Estate == a.Estate ? 3 : -3;
        }

        score += Part(t.Building, n.Building) + Part(t.Unit, n.Unit) + Part(t.Room, n.Room);
        return score;

        static int Part(int? given, int standard) => given is null ? 0 : given == standard ? 10 : -20;
    }

    private GeocodeResult Finish(string input, AddressParser.Tokens t, StreetMatch m, List<AddressIssue> issues)
    {
        var a = Library[m.Tied[0]];
        var n = Library.NumbersOf(m.Tied[0]);
        var unique = m.Level == MatchLevel.Address;
        var county = _divisions.Find(Common(m.Tied, x => x.CountyCode) ?? string.Empty);
        var township = _divisions.Find(Common(m.Tied, x => x.TownshipCode) ?? string.Empty);
        var community = _divisions.Find(Common(m.Tied, x => x.CommunityCode) ?? string.Empty);
        Against(t.Counties, t.CountyText, county, AddressPart.County, a, issues);
        Against(t.Townships, t.TownshipText, township, AddressPart.Township, a, issues);
        Against(t.Communities, t.CommunityText, community, AddressPart.Community, a, issues);
        if (unique)
        {
            Missing(t.Counties is null, AddressPart.County, a.County);
            Missing(t.Townships is null, AddressPart.Township, a.Township);
            Missing(t.Communities is null, AddressPart.Community, a.Community);
            Missing(t.Estate is null && a.Estate.Length > 0, AddressPart.Estate, null);
            Missing(t.Building is null && n.Building != 0, AddressPart.Building, null);
            Missing(t.Unit is null && n.Unit != 0, AddressPart.Unit, null);
            if (a.Status == StandardAddress.Cancelled)
            {
                issues.Add(new AddressIssue(AddressIssueKind.Cancelled, AddressPart.Room, $"The standard address {a.Code} is struck off the register ({a.Status})."));
            }
        }
        else
        {
            Missing(t.Building is null && n.Building != 0, AddressPart.Building, null);
            Missing(t.Unit is null && n.Unit != 0, AddressPart.Unit, null);
            Missing(t.Room is null && n.Room != 0, AddressPart.Room, null);
        }

        var lon = 0.0;
        var lat = 0.0;
        foreach (var i in m.Tied)
        {
            lon += Library[i].Longitude;
            lat += Library[i].Latitude;
        }

        return new GeocodeResult(input, m.Level, Score(m.Level, t, issues), unique ? a.Code : null, unique ? a.FullAddress : null,
            DivisionMatch.Of(county), DivisionMatch.Of(township), DivisionMatch.Of(community), lon / m.Tied.Count, lat / m.Tied.Count,
            m.Tied.Count, t.ToParsed(), issues);

        // Division names are public; the parts below them are the library's data and are not spelled out.
        void Missing(bool absent, AddressPart part, string? division)
        {
            if (absent)
            {
                issues.Add(new AddressIssue(AddressIssueKind.Missing, part, division is null
                    ? $"{Label(part)} is missing; the standard address has one."
                    : $"{Label(part)} is missing (the standard address is in {division})."));
            }
        }
    }

    private string? Common(List<int> tied, Func<StandardAddress, string> code)
    {
        var first = code(Library[tied[0]]);
        foreach (var i in tied)
        {
            if (code(Library[i]) != first)
            {
                return null;
            }
        }

        return first;
    }

    private static void Against(List<Division>? named, string? text, Division? standard, AddressPart part, StandardAddress a, List<AddressIssue> issues)
    {
        if (named is null || standard is null || named.Contains(standard))
        {
            return;
        }

        // A part already in conflict with the others says where the matched address really is, once.
        var earlier = issues.FindIndex(i => i.Kind == AddressIssueKind.Conflict && i.Part == part);
        if (earlier >= 0)
        {
            issues[earlier] = issues[earlier] with { Message = $"{issues[earlier].Message} The standard address {a.Code} is in {standard.Name} ({standard.Code})." };
        }
        else
        {
            issues.Add(new AddressIssue(AddressIssueKind.Conflict, part,
                $"{Label(part)} '{text}' disagrees with the standard address {a.Code}, which is in {standard.Name} ({standard.Code})."));
        }
    }

    private static double Score(MatchLevel level, AddressParser.Tokens t, List<AddressIssue> issues)
    {
        var score = LevelWeight[level];
        foreach (var issue in issues)
        {
            score *= issue.Kind switch
            {
                AddressIssueKind.Conflict => 0.7,
                AddressIssueKind.Cancelled => 0.8,
                AddressIssueKind.Unknown => 0.9,
                _ => issue.Part is AddressPart.County or AddressPart.Township or AddressPart.Community ? 0.97 : 1,
            };
        }

        return Math.Round(t.Colloquial ? score * 0.98 : score, 3);
    }

    private sealed record StreetMatch(List<int> Tied, MatchLevel Level);

    private static bool Agrees(int? given, int standard) => given is not null && given == standard;

    private static bool Differs(int? given, int standard) => given is not null && given != standard;

    private static string Details(AddressParser.Tokens t) => string.Join(" ", new[]
    {
        t.Building is { } b ? $"building {b}" : null, t.Unit is { } u ? $"unit {u}" : null, t.Room is { } r ? $"room {r}" : null,
    }.Where(x => x is not null));

    private static string Label(AddressPart part) => part switch
    {
        AddressPart.County => "The county (区县)",
        AddressPart.Township => "The township (乡镇街道)",
        AddressPart.Community => "The community (社区/村)",
        AddressPart.Estate => "The estate (小区)",
        AddressPart.Building => "The building (楼栋)",
        AddressPart.Unit => "The unit (单元)",
        AddressPart.Room => "The room (户室)",
        _ => part.ToString(),
    };
}
