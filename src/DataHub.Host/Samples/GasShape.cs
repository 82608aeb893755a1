namespace DataHub.Host.Samples;

/// <summary>
/// 市燃气集团 monthly usage: one row per account and billing month. The meter reading rises every month; the
/// charge is the usage at the first-tier residential price used here (3.05 元/m³).
/// </summary>
internal sealed class GasShape : SampleShape
{
    private static readonly string[] Remarks = ["", "", "", "", "", "", "估抄", "表具更换", "用户不在家，留卡自报", "阶梯二档"];

    public override SampleKind Kind => SampleKind.Gas;

    public override string Dataset => "gas.monthly_usage";

    public override string Folder => "gas";

    public override string FileStem => "gas_usage_2026-09";

    public override IReadOnlyList<string> Headers { get; } = ["燃气户号", "燃气表号", "账期", "抄表日期", "表读数", "用气量", "燃气费", "所属区县", "备注"];

    public override IReadOnlyDictionary<SampleDirt, string> DirtColumns { get; } = new Dictionary<SampleDirt, string>
    {
        [SampleDirt.Blank] = "燃气户号",
        [SampleDirt.None] = "用气量",
        [SampleDirt.FullWidth] = "表读数",
        [SampleDirt.ImpossibleDate] = "抄表日期",
        [SampleDirt.Negative] = "用气量",
    };

    public override IReadOnlySet<SampleDirt> Rejected { get; } = new HashSet<SampleDirt>
    {
        SampleDirt.Blank, SampleDirt.None, SampleDirt.FullWidth, SampleDirt.ImpossibleDate, SampleDirt.Negative, SampleDirt.ExtraField,
    };

    public override void Fill(SampleRow row, long index, long rows, ulong seed)
    {
        var months = Math.Clamp(rows / 100_000, 1, 12);
        var accounts = (rows + months - 1) / months;
        var account = index % accounts;
        var month = (int)(index / accounts);
        var hash = SampleRandom.Hash(seed, 200, (ulong)account);
        var place = SamplePlace.For(hash, 0.85);
        var rate = 600 + (long)(hash >> 40) % 3_400;               // 6–40 m³ a month, in hundredths
        var start = 5_000 + (long)(hash >> 20) % 500_000;
        long Reading(long m) => start + (m + 1) * rate + new SampleRandom(seed, (2UL << 32) + (ulong)(m + 1), (ulong)account).Next((int)(rate * 6 / 10));
        var reading = Reading(month);
        var usage = reading - Reading(month - 1);
        var random = new SampleRandom(seed, 202, (ulong)index);
        var period = new DateOnly(2026, 9, 1).AddMonths(month);

        row.Clear();
        row.AddDigits(1_000_000_000 + account, 10);
        row.Begin().Append("RQB").AppendDigits(20_000_000 + account, 8).End();
        row.Begin().AppendDigits(period.Year, 4).Append('-').AppendDigits(period.Month, 2).End();
        row.AddDate(period.AddDays(14 + (int)((hash >> 12) % 10)));
        row.AddDecimal(reading, 2);
        row.AddDecimal(usage, 2);
        row.AddDecimal((usage * 305 + 50) / 100, 2);
        row.Add(place.County.Code);
        row.Add(random.Pick(Remarks));
    }
}
