using System.Text;
using DataHub.Quality.Functions;

namespace DataHub.Host.Samples;

/// <summary>
/// One enterprise of the synthetic register, fixed by the seed and its number: the record <see cref="MarketShape"/>
/// writes for row <c>Index</c>. Tax registrations, employers of the insured and water accounts of enterprises
/// draw from here, so the same credit codes, names and legal representatives recur across sources.
/// </summary>
internal sealed class SampleEnterprise
{
    /// <summary>The GB 32100 alphabet.</summary>
    public const string CreditAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";

    /// <summary>The credit code reform: organisation codes of enterprises set up since begin with MA.</summary>
    public static readonly DateOnly Reform = new(2015, 10, 1);

    private static readonly int[] OrgWeights = [3, 7, 9, 10, 5, 8, 4, 2];
    private static readonly int[] Capitals = [3, 5, 10, 20, 30, 50, 100, 200, 300, 500, 1000, 2000, 5000];
    private static readonly (string Code, int Weight)[] Types = [("1130", 55), ("1151", 30), ("1190", 5), ("1110", 3), ("1140", 2), ("1220", 4), ("1210", 1)];
    private static readonly (string Status, int Weight)[] Statuses = [("存续", 70), ("在业", 15), ("注销", 10), ("吊销", 4), ("迁出", 1)];

    private SampleEnterprise() { }

    public long Index { get; private init; }

    /// <summary>The 18-character unified social credit code.</summary>
    public required string CreditCode { get; init; }

    public required string Name { get; init; }

    /// <summary>Enterprise type code (GB/T 12402-style, codesets/enterprise_type.yaml).</summary>
    public required string Type { get; init; }

    public required string LegalRepresentative { get; init; }

    /// <summary>Registered capital in 10,000 yuan: whole (<see cref="CapitalScale"/> 0) or with four decimals (scale 4).</summary>
    public long Capital { get; private init; }

    public int CapitalScale { get; private init; }

    public DateOnly Established { get; private init; }

    /// <summary>存续, 在业, 注销, 吊销 or 迁出.</summary>
    public required string Status { get; init; }

    public SamplePlace Place { get; private init; }

    /// <summary>Registered by the city's bureau rather than the county's.</summary>
    public bool CityLevel { get; private init; }

    public DateOnly Approved { get; private init; }

    public required string Scope { get; init; }

    /// <summary>Set up before the credit code reform (its organisation code is an old GB 11714 one).</summary>
    public bool BeforeReform => Established < Reform;

    /// <summary>No longer active in the market register.</summary>
    public bool Closed => Status is "注销" or "吊销" or "迁出";

    /// <summary>The registering authority's name.</summary>
    public string Authority => CityLevel ? "合肥市市场监督管理局"
        : Place.County.Name.EndsWith('区') ? $"合肥市{Place.County.Name}市场监督管理局" : $"{Place.County.Name}市场监督管理局";

    /// <summary>Enterprise <paramref name="index"/> of the market register (row <paramref name="index"/> of its export).</summary>
    public static SampleEnterprise Of(ulong seed, long index)
    {
        var random = new SampleRandom(seed, 600, (ulong)index);
        var place = SampleAddresses.Of(seed).Place(random.NextBits(), 0.8);
        var county = place.County;
        var cityLevel = random.Chance(0.4);
        var reformed = random.Chance(0.7);
        var established = reformed
            ? Reform.AddDays(random.Next(SamplePerson.LastDay.DayNumber - Reform.DayNumber))
            : new DateOnly(1998, 1, 1).AddDays(random.Next(Reform.DayNumber - new DateOnly(1998, 1, 1).DayNumber));
        var type = Pick(Types, random.Next(100));
        var shares = type.StartsWith("12", StringComparison.Ordinal);
        var industry = random.Pick(SampleVocabulary.Industries);

        Span<char> code = stackalloc char[18];
        "91".CopyTo(code);
        (cityLevel ? "340100" : county.Code).CopyTo(code[2..]);
        var org = code.Slice(8, 9);
        var start = 0;
        if (reformed)
        {
            "MA2".CopyTo(org);
            start = 3;
        }

        for (var i = start; i < 8; i++)
        {
            org[i] = reformed && random.Chance(0.4) ? CreditAlphabet[10 + random.Next(CreditAlphabet.Length - 10)] : (char)('0' + random.Next(10));
        }

        org[8] = OrganisationCheck(org[..8]);
        Span<byte> bytes = stackalloc byte[17];
        Encoding.ASCII.GetBytes(code[..17], bytes);
        code[17] = CheckDigits.CreditCodeCheck(bytes)!.Value;

        var name = new StringBuilder().Append(shares ? "安徽" : "合肥").Append(random.Pick(SampleVocabulary.TradeNames));
        if (random.Chance(0.6))
        {
            name.Append(random.Pick(SampleVocabulary.TradeNames));
        }

        name.Append(industry.Name).Append(shares ? "股份有限公司" : "有限公司");
        var surname = random.Pick(SampleVocabulary.Surnames);
        var (given1, given2) = SamplePerson.Given(ref random, random.Chance(0.75));
        long capital;
        int scale;
        if (random.Chance(0.8))
        {
            (capital, scale) = (random.Pick(Capitals) * (shares ? 10 : 1), 0);
        }
        else
        {
            (capital, scale) = (random.Between(10_000, 9_999_999), 4);
        }

        var status = Pick(Statuses, random.Next(100));
        var approved = Min(established.AddDays(random.Next(3000)), SamplePerson.LastDay);
        return new SampleEnterprise
        {
            Index = index, CreditCode = code.ToString(), Name = name.ToString(), Type = type, LegalRepresentative = surname + given1 + given2,
            Capital = capital, CapitalScale = scale, Established = established, Status = status, Place = place, CityLevel = cityLevel,
            Approved = approved, Scope = industry.Scope,
        };
    }

    /// <summary>
    /// GB 11714-1997: the organisation code's ninth character from the first eight (digits 0–9, letters A–Z as
    /// 10–35, weights 3 7 9 10 5 8 4 2): 11 − Σ mod 11, written X for 10 and 0 for 11.
    /// </summary>
    internal static char OrganisationCheck(ReadOnlySpan<char> first8)
    {
        var sum = 0;
        for (var i = 0; i < 8; i++)
        {
            var c = first8[i];
            sum += (c <= '9' ? c - '0' : c - 'A' + 10) * OrgWeights[i];
        }

        return (11 - sum % 11) switch
        {
            10 => 'X',
            11 => '0',
            var d => (char)('0' + d),
        };
    }

    private static T Pick<T>((T Value, int Weight)[] weighted, int draw) where T : notnull
    {
        foreach (var (value, weight) in weighted)
        {
            if (draw < weight)
            {
                return value;
            }

            draw -= weight;
        }

        return weighted[^1].Value;
    }

    private static DateOnly Min(DateOnly a, DateOnly b) => a < b ? a : b;
}
