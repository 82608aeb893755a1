namespace DataHub.Host.Samples;

/// <summary>
/// 市水务集团 account holders (用水户档案): of every three rows, two are households of the synthetic population
/// (rows 3k and 3k+1 are households 2k and 2k+1; the holder is the head, in one household in ten the spouse) and
/// one is enterprise k of the market register. A household that moved opened its account at the new address on
/// the day it moved; a household whose head died keeps the account in the head's name; an enterprise closed in the
/// market register has its account closed. The 用水地址 is the household's or enterprise's standard address in the
/// company's own short form (<see cref="SampleAddresses.Utility"/>). Account numbers (WS + 9 digits from 341000000)
/// do not overlap the meter-reading samples' (from 340100000). Variants: 4 % of names with a traditional character,
/// 3 % of ID numbers with spaces around, one phone number in five not the one the person gave social insurance.
/// </summary>
internal sealed class WaterAccountShape : SampleShape, IAddressShape
{
    public override SampleKind Kind => SampleKind.WaterAccount;

    public override string Dataset => "water.account_holder";

    public override string Folder => "water_account";

    public override string FileStem => "account_holders_2026-09";

    public override IReadOnlyList<string> Headers { get; } =
        ["户号", "用户类型", "用户名称", "户主公民身份号码", "单位统一社会信用代码", "用水地址", "开户日期", "户状态", "联系电话"];

    public override IReadOnlyDictionary<SampleDirt, string> DirtColumns { get; } = new Dictionary<SampleDirt, string>
    {
        [SampleDirt.Blank] = "用户名称",
        [SampleDirt.None] = "用水地址",
        [SampleDirt.FullWidth] = "开户日期",
        [SampleDirt.ImpossibleDate] = "开户日期",
    };

    public override IReadOnlySet<SampleDirt> Rejected { get; } = new HashSet<SampleDirt>
    {
        SampleDirt.Blank, SampleDirt.None, SampleDirt.FullWidth, SampleDirt.ImpossibleDate, SampleDirt.ExtraField,
    };

    public string AddressHeader => "用水地址";

    public (SamplePlace Place, SampleAddressStyle Style) Address(long index, long rows, ulong seed)
    {
        if (index % 3 == 2)
        {
            return (SampleEnterprise.Of(seed, index / 3).Place, Style(seed, index));
        }

        var head = SamplePerson.Of(seed, 3 * (index / 3 * 2 + index % 3));
        return (SampleLife.Moved(seed, head)?.Place ?? head.Place, Style(seed, index));
    }

    private static SampleAddressStyle Style(ulong seed, long index) => SampleAddresses.Utility(seed, 802, index);

    public override void Fill(SampleRow row, long index, long rows, ulong seed)
    {
        var random = new SampleRandom(seed, 750, (ulong)index);
        row.Clear();
        row.Begin().Append("WS").AppendDigits(341_000_000 + index, 9).End();
        if (index % 3 == 2)
        {
            var enterprise = SampleEnterprise.Of(seed, index / 3);
            row.Add("非居民");
            row.Add(random.Chance(0.04) ? SampleLife.TraditionalName(enterprise.Name) : enterprise.Name);
            row.Add(string.Empty);
            row.Add(enterprise.CreditCode);
            row.Begin();
            SampleAddresses.Write(row, enterprise.Place, Style(seed, index));
            row.End();
            row.AddDate(SampleLife.Min(enterprise.Established.AddDays(random.Between(10, 200)), SamplePerson.LastDay));
            row.Add(enterprise.Closed ? "销户" : "正常");
            row.Add(string.Concat("0551-6", random.Next(10_000_000).ToString("D7", System.Globalization.CultureInfo.InvariantCulture)));
            return;
        }

        var household = index / 3 * 2 + index % 3;
        var head = SamplePerson.Of(seed, 3 * household);
        var holder = random.Chance(0.1) ? SamplePerson.Of(seed, 3 * household + 1) : head;
        var place = head.Place;
        var opened = SampleLife.Min(SampleLife.Max(holder.Born.AddYears(22), new DateOnly(1998, 1, 1)).AddDays(random.Next(365 * 8)), SamplePerson.LastDay);
        if (SampleLife.Moved(seed, head) is { } moved)
        {
            (place, opened) = (moved.Place, moved.On);
        }

        var id = holder.CitizenId;
        row.Add("居民");
        row.Add(random.Chance(0.04) ? SampleLife.TraditionalName(holder.Name) : holder.Name);
        row.Add(random.Chance(0.03) ? "  " + id + " " : id);
        row.Add(string.Empty);
        row.Begin();
        SampleAddresses.Write(row, place, Style(seed, index));
        row.End();
        row.AddDate(opened);
        row.Add("正常");
        row.Add(random.Chance(0.2) ? SampleLife.Mobile(seed + 1, holder.Index) : SampleLife.Mobile(seed, holder.Index));
    }
}
