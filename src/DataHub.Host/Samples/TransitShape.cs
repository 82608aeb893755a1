namespace DataHub.Host.Samples;

/// <summary>
/// 市公交集团 card and QR-code taps of one or more service days (05:30–22:30), in time order. A card keeps its
/// type; the fare follows it (普通卡 1.80, 二维码 2.00, 学生卡 1.00, 老年卡/爱心卡/员工卡 free).
/// </summary>
internal sealed class TransitShape : SampleShape
{
    private const int FirstSecond = 5 * 3600 + 30 * 60;
    private const int ServiceSeconds = 17 * 3600;
    private static readonly DateOnly FirstDay = new(2026, 10, 12);
    private static readonly (string Type, int Fare, int Weight)[] CardTypes =
        [("普通卡", 180, 50), ("二维码", 200, 25), ("学生卡", 100, 8), ("老年卡", 0, 12), ("爱心卡", 0, 3), ("员工卡", 0, 2)];

    public override SampleKind Kind => SampleKind.Transit;

    public override string Dataset => "transit.card_tap";

    public override string Folder => "transit";

    public override string FileStem => "card_taps_2026-10-12";

    public override IReadOnlyList<string> Headers { get; } = ["交易流水号", "卡号", "卡类型", "线路编号", "车牌号码", "乘车时间", "上车站点", "扣款金额"];

    public override IReadOnlyDictionary<SampleDirt, string> DirtColumns { get; } = new Dictionary<SampleDirt, string>
    {
        [SampleDirt.Blank] = "卡号",
        [SampleDirt.None] = "上车站点",
        [SampleDirt.FullWidth] = "扣款金额",
        [SampleDirt.ImpossibleDate] = "乘车时间",
        [SampleDirt.Negative] = "扣款金额",
    };

    public override IReadOnlySet<SampleDirt> Rejected { get; } = new HashSet<SampleDirt>
    {
        SampleDirt.Blank, SampleDirt.None, SampleDirt.FullWidth, SampleDirt.ImpossibleDate, SampleDirt.Negative, SampleDirt.ExtraField,
    };

    public override void Fill(SampleRow row, long index, long rows, ulong seed)
    {
        var perDay = Math.Min(rows, 1_500_000);
        var day = FirstDay.AddDays((int)(index / perDay));
        var second = FirstSecond + (int)(index % perDay * ServiceSeconds / perDay);
        var random = new SampleRandom(seed, 400, (ulong)index);
        var card = random.Next((int)Math.Max(50, Math.Min(rows / 3, 1_000_000_000)));
        var cardHash = SampleRandom.Hash(seed, 401, (ulong)card);
        var weight = (int)(cardHash % 100);
        var type = CardTypes[^1];
        foreach (var candidate in CardTypes)
        {
            if (weight < candidate.Weight)
            {
                type = candidate;
                break;
            }

            weight -= candidate.Weight;
        }

        var line = random.Next(SampleVocabulary.BusLines.Length);

        row.Clear();
        row.Begin().Append("3401").AppendDigits(day.Year, 4).AppendDigits(day.Month, 2).AppendDigits(day.Day, 2).AppendDigits(index, 10).End();
        row.Begin().Append("3401").AppendDigits(card, 12).End();
        row.Add(type.Type);
        row.Add(SampleVocabulary.BusLines[line]);
        row.Begin().Append("皖A");
        if (line % 4 == 0)
        {
            row.AppendDigits(10_000 + line * 37 + random.Next(30), 5);
        }
        else
        {
            row.Append('D').AppendDigits(10_000 + line * 97 + random.Next(60), 5);
        }

        row.End();
        row.Begin().AppendDate(day).Append(' ').AppendTime(second).End();
        row.Add(random.Pick(SampleVocabulary.BusStops));
        row.AddDecimal(type.Fare, 2);
    }
}
