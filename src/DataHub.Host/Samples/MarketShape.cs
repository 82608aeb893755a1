using System.Text;
using DataHub.Quality.Functions;

namespace DataHub.Host.Samples;

/// <summary>
/// 市市场监督管理局 enterprise registrations as newline-delimited JSON (every value a string, as the registration
/// system's export writes it). Credit codes are 91 (工商, 企业) + the registering authority's division + a GB 11714
/// organisation code with its own check character + the GB 32100 check character; codes of enterprises set up
/// since the credit code reform (2015-10) have organisation codes beginning with MA.
/// </summary>
internal sealed class MarketShape : SampleShape
{
    private const string CreditAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    private static readonly DateOnly Reform = new(2015, 10, 1);
    private static readonly DateOnly LastDay = new(2026, 9, 30);
    private static readonly int[] OrgWeights = [3, 7, 9, 10, 5, 8, 4, 2];
    private static readonly int[] Capitals = [3, 5, 10, 20, 30, 50, 100, 200, 300, 500, 1000, 2000, 5000];
    private static readonly (string Code, int Weight)[] Types = [("1130", 55), ("1151", 30), ("1190", 5), ("1110", 3), ("1140", 2), ("1220", 4), ("1210", 1)];
    private static readonly (string Status, int Weight)[] Statuses = [("存续", 70), ("在业", 15), ("注销", 10), ("吊销", 4), ("迁出", 1)];

    public override SampleKind Kind => SampleKind.Market;

    public override string Dataset => "market.business_registration";

    public override string Folder => "market";

    public override string FileStem => "business_registration_2026-10";

    public override bool IsNdjson => true;

    public override IReadOnlyList<string> Headers { get; } =
        ["统一社会信用代码", "企业名称", "企业类型", "法定代表人", "注册资本", "成立日期", "登记状态", "住所", "住所所在行政区划", "登记机关", "核准日期", "经营范围"];

    public override IReadOnlyDictionary<SampleDirt, string> DirtColumns { get; } = new Dictionary<SampleDirt, string>
    {
        [SampleDirt.Blank] = "法定代表人",
        [SampleDirt.None] = "住所",
        [SampleDirt.FullWidth] = "注册资本",
        [SampleDirt.ImpossibleDate] = "成立日期",
        [SampleDirt.Negative] = "注册资本",
        [SampleDirt.BadCheckDigit] = "统一社会信用代码",
    };

    /// <summary>A failed credit code check is a warning (some early pilot codes fail it although legal), so those rows pass.</summary>
    public override IReadOnlySet<SampleDirt> Rejected { get; } = new HashSet<SampleDirt>
    {
        SampleDirt.Blank, SampleDirt.None, SampleDirt.FullWidth, SampleDirt.ImpossibleDate, SampleDirt.Negative,
    };

    protected override string CheckAlphabet => CreditAlphabet;

    public override void Fill(SampleRow row, long index, long rows, ulong seed)
    {
        var random = new SampleRandom(seed, 600, (ulong)index);
        var place = SamplePlace.For(random.NextBits(), 0.8);
        var county = place.County;
        var cityLevel = random.Chance(0.4);
        var reformed = random.Chance(0.7);
        var established = reformed
            ? Reform.AddDays(random.Next(LastDay.DayNumber - Reform.DayNumber))
            : new DateOnly(1998, 1, 1).AddDays(random.Next(Reform.DayNumber - new DateOnly(1998, 1, 1).DayNumber));
        var type = Pick(Types, random.Next(100));
        var shares = type.StartsWith("12", StringComparison.Ordinal);
        var industry = random.Pick(SampleVocabulary.Industries);

        row.Clear();
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
        row.Add(code);

        row.Begin().Append(shares ? "安徽" : "合肥").Append(random.Pick(SampleVocabulary.TradeNames));
        if (random.Chance(0.6))
        {
            row.Append(random.Pick(SampleVocabulary.TradeNames));
        }

        row.Append(industry.Name).Append(shares ? "股份有限公司" : "有限公司").End();
        row.Add(type);
        row.Begin();
        AppendName(row, ref random, random.Pick(SampleVocabulary.Surnames), random.Chance(0.75));
        row.End();
        if (random.Chance(0.8))
        {
            row.Add(random.Pick(Capitals) * (shares ? 10 : 1));
        }
        else
        {
            row.AddDecimal(random.Between(10_000, 9_999_999), 4);
        }

        row.AddDate(established);
        row.Add(Pick(Statuses, random.Next(100)));
        row.Begin();
        place.AppendFull(row);
        row.End();
        row.Add(county.Code);
        row.Add(cityLevel ? "合肥市市场监督管理局"
            : county.Name.EndsWith('区') ? $"合肥市{county.Name}市场监督管理局" : $"{county.Name}市场监督管理局");
        row.AddDate(Min(established.AddDays(random.Next(3000)), LastDay));
        row.Begin().Append(industry.Scope).Append("（依法须经批准的项目，经相关部门批准后方可开展经营活动）").End();
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
