namespace DataHub.Host.Samples;

/// <summary>
/// 市公安局 household registration: households of three (head, spouse, child) at one address. Citizen ID numbers
/// carry the county of birth, the birth date, a sequence whose parity gives the sex, and the GB 11643 check character.
/// Each row is <see cref="SamplePerson.Of"/> of its number, so the theme sources find the same people. The registered
/// address is the household's standard address, written as the register does (<see cref="SampleAddresses.Register"/>,
/// the same for the whole household).
/// </summary>
internal sealed class PopulationShape : SampleShape, IAddressShape
{
    public override SampleKind Kind => SampleKind.Population;

    public override string Dataset => "population.household_registration";

    public override string Folder => "population";

    public override string FileStem => "household_registration_2026-09-30";

    public override IReadOnlyList<string> Headers { get; } = ["公民身份号码", "姓名", "性别", "出生日期", "民族", "户籍地址", "户籍地行政区划", "户编号", "登记日期"];

    public override IReadOnlyDictionary<SampleDirt, string> DirtColumns { get; } = new Dictionary<SampleDirt, string>
    {
        [SampleDirt.Blank] = "姓名",
        [SampleDirt.None] = "户籍地址",
        [SampleDirt.FullWidth] = "公民身份号码",
        [SampleDirt.ImpossibleDate] = "出生日期",
        [SampleDirt.BadCheckDigit] = "公民身份号码",
    };

    public override IReadOnlySet<SampleDirt> Rejected { get; } = new HashSet<SampleDirt>
    {
        SampleDirt.Blank, SampleDirt.None, SampleDirt.FullWidth, SampleDirt.ImpossibleDate, SampleDirt.BadCheckDigit, SampleDirt.ExtraField,
    };

    public string AddressHeader => "户籍地址";

    public (SamplePlace Place, SampleAddressStyle Style) Address(long index, long rows, ulong seed) =>
        (SamplePerson.Of(seed, index).Place, SampleAddresses.Register(seed, 800, index / 3));

    public override void Fill(SampleRow row, long index, long rows, ulong seed)
    {
        var person = SamplePerson.Of(seed, index);
        row.Clear();
        Span<char> id = stackalloc char[18];
        person.WriteCitizenId(id);
        row.Add(id);
        row.Begin().Append(person.Surname).Append(person.Given1).Append(person.Given2).End();
        row.Add(person.Male ? "1" : "2");
        row.AddDate(person.Born);
        row.Add(person.Ethnicity);
        row.Begin();
        SampleAddresses.Write(row, person.Place, SampleAddresses.Register(seed, 800, person.Household));
        row.End();
        row.Add(person.Place.County.Code);
        row.Begin().Append(person.Place.Village.Township.Code).AppendDigits(person.Household % 100_000_000, 8).End();
        row.AddDate(person.Registered);
    }
}
