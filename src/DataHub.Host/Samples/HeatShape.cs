namespace DataHub.Host.Samples;

/// <summary>
/// 市热力集团 daily household heat-meter readings in the heating season: one row per account and day. Accounts
/// that have suspended heating (报停) use nothing and show low temperatures.
/// </summary>
internal sealed class HeatShape : SampleShape
{
    private static readonly DateOnly FirstDay = new(2026, 1, 6);

    public override SampleKind Kind => SampleKind.Heat;

    public override string Dataset => "heat.household_heating";

    public override string Folder => "heat";

    public override string FileStem => "heat_meter_daily_2026-01";

    public override IReadOnlyList<string> Headers { get; } =
        ["供热户号", "热量表号", "抄表日期", "累计热量", "当日热量", "供水温度", "回水温度", "供热面积", "供热状态", "供热地址", "所属区县"];

    public override IReadOnlyDictionary<SampleDirt, string> DirtColumns { get; } = new Dictionary<SampleDirt, string>
    {
        [SampleDirt.Blank] = "供热户号",
        [SampleDirt.None] = "供热面积",
        [SampleDirt.FullWidth] = "累计热量",
        [SampleDirt.ImpossibleDate] = "抄表日期",
        [SampleDirt.Negative] = "当日热量",
    };

    public override IReadOnlySet<SampleDirt> Rejected { get; } = new HashSet<SampleDirt>
    {
        SampleDirt.Blank, SampleDirt.None, SampleDirt.FullWidth, SampleDirt.ImpossibleDate, SampleDirt.Negative, SampleDirt.ExtraField,
    };

    public override void Fill(SampleRow row, long index, long rows, ulong seed)
    {
        var days = WaterShape.Days(rows);
        var accounts = (rows + days - 1) / days;
        var account = index % accounts;
        var day = index / accounts;
        var hash = SampleRandom.Hash(seed, 300, (ulong)account);
        var place = SamplePlace.For(hash, 1.0);
        var area = 6_000 + (long)(hash >> 40) % 12_000;            // 60–180 m², in hundredths
        var suspended = (hash >> 8) % 20 == 0;
        var rate = suspended ? 0 : area * 3 / 100;                 // about 0.003 GJ per m² and day, in thousandths
        var start = 5_000 + (long)(hash >> 20) % 75_000;
        long Reading(long d) => start + (d + 1) * rate + (rate == 0 ? 0 : new SampleRandom(seed, (3UL << 32) + (ulong)(d + 1), (ulong)account).Next((int)(rate * 6 / 10)));
        var reading = Reading(day);
        var random = new SampleRandom(seed, 302, (ulong)index);
        var supply = suspended ? random.Between(180, 250) : random.Between(450, 580);

        row.Clear();
        row.Begin().Append("GR").AppendDigits(10_000_000 + account, 8).End();
        row.Begin().Append("RL").AppendDigits(30_000_000 + account, 8).End();
        row.AddDate(FirstDay.AddDays((int)day));
        row.AddDecimal(reading, 3);
        row.AddDecimal(reading - Reading(day - 1), 3);
        row.AddDecimal(supply, 1);
        row.AddDecimal(supply - (suspended ? random.Between(5, 20) : random.Between(60, 120)), 1);
        row.AddDecimal(area, 2);
        row.Add(suspended ? "报停" : "正常");
        row.Begin();
        place.AppendShort(row);
        row.End();
        row.Add(place.County.Code);
    }
}
