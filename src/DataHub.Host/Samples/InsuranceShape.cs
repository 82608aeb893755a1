namespace DataHub.Host.Samples;

/// <summary>
/// 市人力资源和社会保障局 social insurance enrollment, one per person: row <c>i</c> is person <c>i</c> of the
/// synthetic population, except one row in twelve, a worker registered in another Anhui city. Employees are insured
/// by an enterprise of the market register (enterprise numbers below two fifths of the row count); insurance at a
/// closed enterprise has ended; a head who died more than 60 days before the export has ended too, a more recent
/// death is not known yet. The residential address is the new one for households that moved, written as people write
/// where they live (<see cref="SampleAddresses.Declared"/>). Variants: half the ID
/// numbers ending in X with a lower-case x, 3 % with spaces around, 2 % in full-width digits, 3 % of three-character
/// names without their middle character.
/// </summary>
internal sealed class InsuranceShape : SampleShape, IAddressShape
{
    public override SampleKind Kind => SampleKind.Insurance;

    public override string Dataset => "hrss.insurance_enrollment";

    public override string Folder => "hrss";

    public override string FileStem => "insurance_enrollment_2026-09";

    public override IReadOnlyList<string> Headers { get; } =
        ["公民身份号码", "姓名", "险种", "单位统一社会信用代码", "单位名称", "参保状态", "参保日期", "联系电话", "居住地址", "更新日期"];

    public override IReadOnlyDictionary<SampleDirt, string> DirtColumns { get; } = new Dictionary<SampleDirt, string>
    {
        [SampleDirt.Blank] = "姓名",
        [SampleDirt.None] = "居住地址",
        [SampleDirt.FullWidth] = "参保日期",
        [SampleDirt.ImpossibleDate] = "参保日期",
        [SampleDirt.BadCheckDigit] = "公民身份号码",
    };

    /// <summary>ID numbers are kept as delivered (the theme fusion normalizes and checks them), so a wrong check character is not rejected.</summary>
    public override IReadOnlySet<SampleDirt> Rejected { get; } = new HashSet<SampleDirt>
    {
        SampleDirt.Blank, SampleDirt.None, SampleDirt.FullWidth, SampleDirt.ImpossibleDate, SampleDirt.ExtraField,
    };

    /// <summary>How many enterprises employers are drawn from: the first two fifths of the row count (240 for 600 rows).</summary>
    internal static long Employers(long rows) => Math.Max(1, rows * 2 / 5);

    public string AddressHeader => "居住地址";

    public (SamplePlace Place, SampleAddressStyle Style) Address(long index, long rows, ulong seed)
    {
        var random = new SampleRandom(seed, 740, (ulong)index);
        var (_, place, _, _) = Subject(ref random, index, seed);
        return (place, Style(seed, index));
    }

    private static SampleAddressStyle Style(ulong seed, long index) => SampleAddresses.Declared(seed, 801, index);

    /// <summary>Who row <paramref name="index"/> is (drawn first from the row's random), where they live and since when.</summary>
    private static (SamplePerson Person, SamplePlace Place, DateOnly Since, bool Outsider) Subject(ref SampleRandom random, long index, ulong seed)
    {
        var outsider = random.Chance(1.0 / 12);
        var person = outsider
            ? SamplePerson.Outsider(seed, 741, index, random.Chance(0.6), new DateOnly(1970, 1, 1).AddDays(random.Next(365 * 35)))
            : SamplePerson.Of(seed, index);
        var head = outsider ? person : SamplePerson.Of(seed, 3 * person.Household);
        if (!outsider && SampleLife.Moved(seed, head) is { } moved)
        {
            return (person, moved.Place, moved.On, outsider);
        }

        return (person, person.Place, person.Registered, outsider);
    }

    public override void Fill(SampleRow row, long index, long rows, ulong seed)
    {
        var random = new SampleRandom(seed, 740, (ulong)index);
        var (person, place, updated, outsider) = Subject(ref random, index, seed);
        var age = person.AgeOn(SamplePerson.LastDay);

        string type;
        SampleEnterprise? employer = null;
        DateOnly start;
        if (age < 18)
        {
            type = "城乡居民基本医疗保险";
            start = SampleLife.Min(person.Born.AddDays(random.Between(20, 120)), SamplePerson.LastDay);
        }
        else if (outsider || random.Chance(age < 60 ? 0.75 : 0.4))
        {
            type = "职工基本养老保险";
            employer = SampleEnterprise.Of(seed, (long)(random.NextBits() % (ulong)Employers(rows)));
            var from = SampleLife.Max(employer.Established, person.Born.AddYears(18));
            start = from >= SamplePerson.LastDay ? SamplePerson.LastDay : from.AddDays(random.Next(Math.Min(2000, SamplePerson.LastDay.DayNumber - from.DayNumber)));
        }
        else
        {
            type = "城乡居民基本养老保险";
            start = SampleLife.Max(person.Born.AddYears(16), new DateOnly(2014, 1, 1)).AddDays(random.Next(365));
            start = SampleLife.Min(start, SamplePerson.LastDay);
        }

        var status = "参保";
        var draw = random.Next(100);
        if (!outsider && SampleLife.Died(seed, person) is { } died && died < SamplePerson.LastDay.AddDays(-60))
        {
            (status, updated) = ("终止", died.AddDays(30 + random.Next(20)));
        }
        else if (employer is { Closed: true })
        {
            (status, updated) = ("终止", SampleLife.Max(start, employer.Approved.AddDays(-random.Next(30))));
        }
        else if (draw < 5)
        {
            (status, updated) = ("暂停", SampleLife.Max(start, SamplePerson.LastDay.AddDays(-random.Next(400))));
        }
        else if (draw < 9)
        {
            (status, updated) = ("终止", SampleLife.Max(start, SamplePerson.LastDay.AddDays(-random.Next(700))));
        }

        updated = SampleLife.Min(SampleLife.Max(updated, start), SamplePerson.LastDay);
        var id = person.CitizenId;
        var variant = random.Next(100);
        id = variant switch
        {
            < 3 => " " + id + " ",
            < 5 => SampleLife.FullWidth(id),
            _ when random.Chance(0.5) => SampleLife.LowerX(id),
            _ => id,
        };

        row.Clear();
        row.Add(id);
        row.Add(random.Chance(0.03) ? SampleLife.WithoutMiddle(person.Name) : person.Name);
        row.Add(type);
        row.Add(employer?.CreditCode ?? string.Empty);
        row.Add(employer?.Name ?? string.Empty);
        row.Add(status);
        row.AddDate(start);
        row.Add(SampleLife.Mobile(seed, outsider ? -1 - index : index));
        row.Begin();
        SampleAddresses.Write(row, place, Style(seed, index));
        row.End();
        row.AddDate(updated);
    }
}
