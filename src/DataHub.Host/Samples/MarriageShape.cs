namespace DataHub.Host.Samples;

/// <summary>
/// 市民政局 marriage registrations, one per household of the synthetic population (row <c>i</c> is household
/// <c>i</c>): the head couple's marriage, for one couple in ten their divorce instead, and for six in ten households
/// with a child of 24 or more the child's marriage to someone from another Anhui city. Registrations before
/// 1999-10-01 carry the old fifteen-digit ID numbers; one record in twenty writes a name with a traditional character.
/// </summary>
internal sealed class MarriageShape : SampleShape
{
    private static readonly DateOnly EighteenDigits = new(1999, 10, 1);

    public override SampleKind Kind => SampleKind.Marriage;

    public override string Dataset => "civil.marriage_registration";

    public override string Folder => "civil";

    public override string FileStem => "marriage_registration_2026-09";

    public override IReadOnlyList<string> Headers { get; } =
        ["登记类型", "婚姻证件编号", "男方公民身份号码", "男方姓名", "女方公民身份号码", "女方姓名", "登记日期", "登记机关", "登记机关行政区划"];

    public override IReadOnlyDictionary<SampleDirt, string> DirtColumns { get; } = new Dictionary<SampleDirt, string>
    {
        [SampleDirt.Blank] = "男方姓名",
        [SampleDirt.None] = "女方姓名",
        [SampleDirt.FullWidth] = "登记日期",
        [SampleDirt.ImpossibleDate] = "登记日期",
    };

    public override IReadOnlySet<SampleDirt> Rejected { get; } = new HashSet<SampleDirt>
    {
        SampleDirt.Blank, SampleDirt.None, SampleDirt.FullWidth, SampleDirt.ImpossibleDate, SampleDirt.ExtraField,
    };

    public override void Fill(SampleRow row, long index, long rows, ulong seed)
    {
        var head = SamplePerson.Of(seed, 3 * index);
        var spouse = SamplePerson.Of(seed, 3 * index + 1);
        var child = SamplePerson.Of(seed, 3 * index + 2);
        var random = new SampleRandom(seed, 710, (ulong)index);
        var (husband, wife) = head.Male ? (head, spouse) : (spouse, head);
        var married = SampleLife.Married(seed, husband, wife, child.Born);
        string type;
        DateOnly day;
        if (SampleLife.Divorced(seed, index))
        {
            type = "离婚";
            day = SampleLife.Min(married.AddDays(random.Between(365 * 3, 365 * 15)), SamplePerson.LastDay.AddDays(-random.Next(200) - 3));
            day = SampleLife.Min(SampleLife.Max(day, married.AddDays(90)), SamplePerson.LastDay);   // a recent marriage: divorced at least 90 days later
        }
        else if (SampleLife.ChildSpouse(seed, child) is { } outsider && random.Chance(0.6))
        {
            type = "结婚";
            (husband, wife) = child.Male ? (child, outsider) : (outsider, child);
            day = SampleLife.Married(seed, husband, wife, null);
        }
        else
        {
            type = "结婚";
            day = married;
        }

        var county = head.Place.County;
        row.Clear();
        row.Add(type);
        row.Begin().Append(type == "结婚" ? 'J' : 'L').Append(county.Code).Append('-').Append(day.Year).Append('-').AppendDigits(index % 1_000_000, 6).End();
        var traditional = random.Chance(0.05) ? random.Next(2) : -1;
        AddPerson(row, husband, day, traditional == 0);
        AddPerson(row, wife, day, traditional == 1);
        row.AddDate(day);
        row.Add(county.Name.EndsWith('区') ? $"合肥市{county.Name}民政局婚姻登记处" : $"{county.Name}民政局婚姻登记处");
        row.Add(county.Code);
    }

    private static void AddPerson(SampleRow row, SamplePerson person, DateOnly day, bool traditional)
    {
        row.Add(day < EighteenDigits ? person.OldCitizenId : person.CitizenId);
        row.Add(traditional ? SampleLife.TraditionalName(person.Name) : person.Name);
    }
}
