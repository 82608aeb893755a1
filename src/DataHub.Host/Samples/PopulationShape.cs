using System.Text;
using DataHub.Quality.Functions;

namespace DataHub.Host.Samples;

/// <summary>
/// 市公安局 household registration: households of three (head, spouse, child) at one address. Citizen ID numbers
/// carry the county of birth, the birth date, a sequence whose parity gives the sex, and the GB 11643 check character.
/// </summary>
internal sealed class PopulationShape : SampleShape
{
    private static readonly DateOnly LastDay = new(2026, 9, 30);
    private static readonly (string Code, int Weight)[] Ethnicities = [("01", 985), ("03", 9), ("02", 1), ("06", 1), ("08", 1), ("11", 2), ("15", 1)];

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

    public override void Fill(SampleRow row, long index, long rows, ulong seed)
    {
        var household = index / 3;
        var member = (int)(index % 3);
        var hash = SampleRandom.Hash(seed, 500, (ulong)household);
        var place = SamplePlace.For(hash, 0.7);
        var family = new SampleRandom(seed, 501, (ulong)household);
        var random = new SampleRandom(seed, 502, (ulong)index);
        var surname = family.Pick(SampleVocabulary.Surnames);
        var headMale = family.Chance(0.8);
        var headBorn = new DateOnly(1950, 1, 1).AddDays(family.Next(365 * 45));
        var (male, born) = member switch
        {
            0 => (headMale, headBorn),
            1 => (!headMale, headBorn.AddDays(family.Between(-1500, 1500))),
            _ => (random.Chance(0.5), Min(headBorn.AddDays(family.Between(365 * 22, 365 * 36)), LastDay.AddDays(-random.Next(200) - 30))),
        };
        var birthCounty = random.Chance(0.85) ? place.County : random.Pick(HefeiDivisions.Instance.Counties);
        var registered = member == 2 && born.Year >= 1990
            ? Min(born.AddDays(random.Between(10, 90)), LastDay)
            : Min(new DateOnly(Math.Max(born.Year + 16, 1990), 1, 1).AddDays(random.Next(365 * 12)), LastDay);

        row.Clear();
        Span<byte> id = stackalloc byte[18];
        Encoding.ASCII.GetBytes(birthCounty.Code, id);
        Encoding.ASCII.GetBytes(born.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture), id[6..]);
        var sequence = random.Next(500) * 2 + (male ? 1 : 0);
        id[14] = (byte)('0' + sequence / 100);
        id[15] = (byte)('0' + sequence / 10 % 10);
        id[16] = (byte)('0' + sequence % 10);
        id[17] = (byte)CheckDigits.CitizenCheck(id[..17])!.Value;
        Span<char> text = stackalloc char[18];
        Encoding.ASCII.GetChars(id, text);
        row.Add(text);
        row.Begin();
        AppendName(row, ref random, member == 1 ? random.Pick(SampleVocabulary.Surnames) : surname, male);
        row.End();
        row.Add(male ? "1" : "2");
        row.AddDate(born);
        var weight = random.Next(1000);
        row.Add(Ethnicities.First(e => (weight -= e.Weight) < 0).Code);
        row.Begin();
        place.AppendFull(row);
        row.End();
        row.Add(place.County.Code);
        row.Begin().Append(place.Village.Township.Code).AppendDigits(household % 100_000_000, 8).End();
        row.AddDate(registered);
    }

    private static DateOnly Min(DateOnly a, DateOnly b) => a < b ? a : b;
}
