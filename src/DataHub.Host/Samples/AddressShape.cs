namespace DataHub.Host.Samples;

/// <summary>
/// 市自然资源和规划局 standard addresses (一标三实): one row per address, the code being the community's 12-digit
/// statistical code and an 8-digit sequence. Communities (居委会) have road, door number, estate, building, unit and
/// room; villages (村委会) have 村民小组 and door number only. Coordinates lie around the county's built-up area.
/// </summary>
internal sealed class AddressShape : SampleShape
{
    private static readonly DateOnly FirstDay = new(2024, 1, 1);
    private static readonly DateOnly LastDay = new(2026, 9, 30);

    public override SampleKind Kind => SampleKind.Address;

    public override string Dataset => "spatial.standard_address";

    public override string Folder => "address";

    public override string FileStem => "standard_address_2026-09";

    public override IReadOnlyList<string> Headers { get; } =
    [
        "标准地址编码", "标准地址全称", "省", "市", "区县", "乡镇街道", "社区村", "街路巷", "门牌号", "小区", "楼栋", "单元", "户室",
        "行政区划代码", "乡镇街道代码", "社区村代码", "经度", "纬度", "地址状态", "更新日期",
    ];

    public override IReadOnlyDictionary<SampleDirt, string> DirtColumns { get; } = new Dictionary<SampleDirt, string>
    {
        [SampleDirt.Blank] = "乡镇街道",
        [SampleDirt.None] = "社区村",
        [SampleDirt.FullWidth] = "经度",
        [SampleDirt.ImpossibleDate] = "更新日期",
    };

    public override IReadOnlySet<SampleDirt> Rejected { get; } = new HashSet<SampleDirt>
    {
        SampleDirt.Blank, SampleDirt.None, SampleDirt.FullWidth, SampleDirt.ImpossibleDate, SampleDirt.ExtraField,
    };

    /// <summary>
    /// Standard address <paramref name="index"/> of the library (row <paramref name="index"/> of its export, before
    /// any dirt): where it is and its status (有效 95 %, 待核实 4 %, 注销 1 %). Its code is <see cref="SamplePlace.StandardCode"/>.
    /// </summary>
    public static (SamplePlace Place, string Status) Standard(ulong seed, long index)
    {
        var random = new SampleRandom(seed, 700, (ulong)index);
        return Draw(ref random, index);
    }

    private static (SamplePlace Place, string Status) Draw(ref SampleRandom random, long index)
    {
        var place = SamplePlace.Standard(random.NextBits(), 0.6, index);
        return (place, random.Next(100) switch { < 95 => "有效", < 99 => "待核实", _ => "注销" });
    }

    public override void Fill(SampleRow row, long index, long rows, ulong seed)
    {
        var random = new SampleRandom(seed, 700, (ulong)index);
        var (place, status) = Draw(ref random, index);
        var village = place.Village;
        var (lon, lat) = SampleVocabulary.Centres[place.County.Code];

        row.Clear();
        row.Add(place.StandardCode);
        row.Begin();
        place.AppendFull(row);
        row.End();
        row.Add("安徽省");
        row.Add("合肥市");
        row.Add(place.County.Name);
        row.Add(village.Township.Name);
        row.Add(village.ShortName);
        if (village.IsUrban)
        {
            row.Add(place.Road);
            row.Begin().Append(place.DoorNumber).Append('号').End();
            row.Begin();
            place.AppendEstate(row);
            row.End();
            row.Begin().Append(place.Building).Append('栋').End();
            row.Begin().Append(place.Unit).Append("单元").End();
            row.Begin().Append(place.Room).Append('室').End();
        }
        else
        {
            row.Begin().Append(place.Group).Append('组').End();
            row.Begin().Append(place.DoorNumber).Append('号').End();
            row.Add(string.Empty);
            row.Add(string.Empty);
            row.Add(string.Empty);
            row.Add(string.Empty);
        }

        row.Add(place.County.Code);
        row.Add(village.Township.Code);
        row.Add(village.Code);
        row.AddDecimal((long)(lon * 1e8) + random.Between(-6_000_000, 6_000_000), 8);
        row.AddDecimal((long)(lat * 1e8) + random.Between(-4_000_000, 4_000_000), 8);
        row.Add(status);
        row.AddDate(FirstDay.AddDays(random.Next(LastDay.DayNumber - FirstDay.DayNumber + 1)));
    }
}
