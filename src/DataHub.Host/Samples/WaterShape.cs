namespace DataHub.Host.Samples;

/// <summary>
/// 市水务集团 daily meter readings, the shape of <c>samples/water</c>: one row per account and day, days in order.
/// The cumulative reading rises every day and the usage is the difference of two days' readings.
/// </summary>
internal sealed class WaterShape : SampleShape
{
    private static readonly DateOnly FirstDay = new(2026, 10, 1);

    public override SampleKind Kind => SampleKind.Water;

    public override string Dataset => "water.meter_reading_daily";

    public override string Folder => "water";

    public override string FileStem => "meter_readings_2026-10";

    public override IReadOnlyList<string> Headers { get; } = ["户号", "表号", "抄表日期", "读数", "用量", "地址", "所属区县"];

    public override IReadOnlyDictionary<SampleDirt, string> DirtColumns { get; } = new Dictionary<SampleDirt, string>
    {
        [SampleDirt.Blank] = "读数",
        [SampleDirt.None] = "用量",
        [SampleDirt.FullWidth] = "读数",
        [SampleDirt.ImpossibleDate] = "抄表日期",
        [SampleDirt.Negative] = "用量",
    };

    /// <summary>A blank reading breaks only a warn rule (the utility estimates it later), as in samples/water.</summary>
    public override IReadOnlySet<SampleDirt> Rejected { get; } = new HashSet<SampleDirt>
    {
        SampleDirt.None, SampleDirt.FullWidth, SampleDirt.ImpossibleDate, SampleDirt.Negative, SampleDirt.ExtraField,
    };

    /// <summary>Days in a file of <paramref name="rows"/> rows: one for small files, up to a month for large ones.</summary>
    internal static long Days(long rows) => Math.Clamp(rows / 10_000, 1, 31);

    public override void Fill(SampleRow row, long index, long rows, ulong seed)
    {
        var accounts = (rows + Days(rows) - 1) / Days(rows);
        var account = index % accounts;
        var day = index / accounts;
        var hash = SampleRandom.Hash(seed, 100, (ulong)account);
        var place = SamplePlace.For(hash, 0.9);
        var rate = 20 + (long)(hash >> 40) % 100;                  // 0.20–1.19 m³ a day, in hundredths
        var start = 10_000 + (long)(hash >> 20) % 290_000;        // 100–3,000 m³
        long Reading(long d) => start + (d + 1) * rate + new SampleRandom(seed, (1UL << 32) + (ulong)(d + 1), (ulong)account).Next((int)(rate * 8 / 10));
        var reading = Reading(day);

        row.Clear();
        row.Begin().Append("WS").AppendDigits(340_100_000 + account, 9).End();
        row.Begin().Append('M').AppendDigits(1_000_000 + account, 7).End();
        row.AddDate(FirstDay.AddDays((int)day));
        row.AddDecimal(reading, 2);
        row.AddDecimal(reading - Reading(day - 1), 2);
        row.Begin();
        place.AppendShort(row);
        row.End();
        row.Add(place.County.Code);
    }
}
