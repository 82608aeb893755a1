namespace DataHub.Host.Samples;

/// <summary>
/// 市卫生健康委员会 birth and death certificates (出生医学证明, 死亡医学证明), one per household of the synthetic
/// population (row <c>i</c> is household <c>i</c>): the head's death where the head died (see
/// <see cref="SampleLife.Died"/>; the household registration still lists them), else the child's birth where the
/// child was born since 1996 (when birth certificates began), else a grandchild's birth (the mother is the
/// household's daughter or the son's wife from another city). A newborn's citizen ID number is filled in once
/// the birth has been registered with the police, here for births more than 60 days before the export; half the
/// mothers' numbers ending in X are typed with a lower-case x.
/// </summary>
internal sealed class VitalEventShape : SampleShape
{
    private static readonly DateOnly Certificates = new(1996, 1, 1);

    public override SampleKind Kind => SampleKind.Vital;

    public override string Dataset => "health.vital_event";

    public override string Folder => "health";

    public override string FileStem => "vital_events_2026-09";

    public override IReadOnlyList<string> Headers { get; } =
        ["事件类型", "医学证明编号", "公民身份号码", "姓名", "性别", "出生日期", "死亡日期", "母亲公民身份号码", "母亲姓名", "签发机构", "签发日期"];

    public override IReadOnlyDictionary<SampleDirt, string> DirtColumns { get; } = new Dictionary<SampleDirt, string>
    {
        [SampleDirt.Blank] = "姓名",
        [SampleDirt.None] = "签发机构",
        [SampleDirt.FullWidth] = "签发日期",
        [SampleDirt.ImpossibleDate] = "出生日期",
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
        var random = new SampleRandom(seed, 730, (ulong)index);
        var which = random.Next(3);
        row.Clear();
        if (SampleLife.Died(seed, head) is { } died)
        {
            row.Add("死亡");
            row.Begin().Append('S').Append(head.Place.County.Code).Append(died.Year).AppendDigits(index % 1_000_000, 6).End();
            row.Add(head.CitizenId);
            row.Add(head.Name);
            row.Add(head.Male ? "1" : "2");
            row.AddDate(head.Born);
            row.AddDate(died);
            row.Add(string.Empty);
            row.Add(string.Empty);
            row.Add(Hospital(head.Place.County, which, births: false));
            row.AddDate(SampleLife.Min(died.AddDays(random.Next(3)), SamplePerson.LastDay));
            return;
        }

        SamplePerson baby;
        SamplePerson mother;
        if (child.Born >= Certificates)
        {
            baby = child;
            mother = head.Male ? spouse : head;
        }
        else
        {
            var inLaw = SampleLife.ChildSpouse(seed, child)!;
            mother = child.Male ? inLaw : child;
            var father = child.Male ? child : inLaw;
            var born = SamplePerson.LastDay.AddDays(-random.Next(600) - 1);
            baby = SamplePerson.Newborn(seed, index, father.Surname, born, child.Place);
        }

        var motherId = mother.CitizenId;
        row.Add("出生");
        row.Begin().Append('C').Append(baby.Place.County.Code).Append(baby.Born.Year).AppendDigits(index % 1_000_000, 6).End();
        row.Add(baby.Born < SamplePerson.LastDay.AddDays(-60) ? baby.CitizenId : string.Empty);
        row.Add(baby.Name);
        row.Add(baby.Male ? "1" : "2");
        row.AddDate(baby.Born);
        row.Add(string.Empty);
        row.Add(random.Chance(0.5) ? SampleLife.LowerX(motherId) : motherId);
        row.Add(mother.Name);
        row.Add(Hospital(baby.Place.County, which, births: true));
        row.AddDate(SampleLife.Min(baby.Born.AddDays(random.Next(4)), SamplePerson.LastDay));
    }

    private static string Hospital(HefeiDivisions.County county, int which, bool births) => which switch
    {
        0 => births ? "合肥市妇幼保健院" : "合肥市第一人民医院",
        1 => births ? "安徽省妇幼保健院" : "合肥市第二人民医院",
        _ => (county.Name.EndsWith('区') ? "合肥市" : string.Empty) + county.Name + "人民医院",
    };
}
