using System.Globalization;
using System.Text;
using DataHub.Quality.Functions;

namespace DataHub.Host.Samples;

/// <summary>
/// One person of the synthetic population, fixed by the seed and the person's number: the record
/// <see cref="PopulationShape"/> writes for row <c>Index</c> (households of three: head, spouse, child at one
/// address). The theme sources (marriage, vital events, social insurance, water accounts) draw their people from
/// here, so that the same citizen ID numbers, names and birth dates recur across sources.
/// </summary>
internal sealed class SamplePerson
{
    /// <summary>The day the synthetic registers were exported.</summary>
    public static readonly DateOnly LastDay = new(2026, 9, 30);

    private static readonly (string Code, int Weight)[] Ethnicities = [("01", 985), ("03", 9), ("02", 1), ("06", 1), ("08", 1), ("11", 2), ("15", 1)];

    /// <summary>County codes of other Anhui cities (GB/T 2260), for people born outside Hefei.</summary>
    private static readonly string[] OutsideCounties = ["340202", "340302", "340403", "340802", "341202", "341502", "341602", "341802"];

    private SamplePerson(long index, SamplePlace place, string surname, string given1, string? given2, bool male, DateOnly born,
        string birthCounty, int sequence, string ethnicity, DateOnly registered)
    {
        Index = index;
        Place = place;
        Surname = surname;
        Given1 = given1;
        Given2 = given2;
        Male = male;
        Born = born;
        BirthCounty = birthCounty;
        Sequence = sequence;
        Ethnicity = ethnicity;
        Registered = registered;
    }

    /// <summary>The person's number (the row of the household registration file); negative for people from outside the registers.</summary>
    public long Index { get; }

    /// <summary>The household: three people each.</summary>
    public long Household => Index / 3;

    /// <summary>0 head, 1 spouse, 2 child.</summary>
    public int Member => (int)(Index % 3);

    /// <summary>The household's registered address: a standard address of the library (<see cref="SampleAddresses.Place"/>).</summary>
    public SamplePlace Place { get; }

    public string Surname { get; }

    public string Given1 { get; }

    public string? Given2 { get; }

    public bool Male { get; }

    public DateOnly Born { get; }

    /// <summary>The county code in the citizen ID number (the county of birth).</summary>
    public string BirthCounty { get; }

    /// <summary>The three-digit sequence of the ID number (odd for men).</summary>
    public int Sequence { get; }

    public string Ethnicity { get; }

    /// <summary>The household registration's registration date.</summary>
    public DateOnly Registered { get; }

    /// <summary>The full name.</summary>
    public string Name => Surname + Given1 + Given2;

    /// <summary>The GB 11643 eighteen-character citizen ID number.</summary>
    public string CitizenId
    {
        get
        {
            Span<char> id = stackalloc char[18];
            WriteCitizenId(id);
            return id.ToString();
        }
    }

    /// <summary>The old fifteen-digit number (before GB 11643-1999): no century digits, no check character.</summary>
    public string OldCitizenId => string.Concat(BirthCounty, Born.ToString("yyMMdd", CultureInfo.InvariantCulture), Sequence.ToString("D3", CultureInfo.InvariantCulture));

    /// <summary>Age in whole years on a day.</summary>
    public int AgeOn(DateOnly day) => day.Year - Born.Year - (day.DayOfYear < Born.DayOfYear ? 1 : 0);

    /// <summary>Writes the 18-character citizen ID number.</summary>
    public void WriteCitizenId(Span<char> text)
    {
        Span<byte> id = stackalloc byte[18];
        Encoding.ASCII.GetBytes(BirthCounty, id);
        Born.TryFormat(text, out _, "yyyyMMdd", CultureInfo.InvariantCulture);
        Encoding.ASCII.GetBytes(text[..8], id[6..]);
        id[14] = (byte)('0' + Sequence / 100);
        id[15] = (byte)('0' + Sequence / 10 % 10);
        id[16] = (byte)('0' + Sequence % 10);
        id[17] = (byte)CheckDigits.CitizenCheck(id[..17])!.Value;
        Encoding.ASCII.GetChars(id, text);
    }

    /// <summary>Person <paramref name="index"/> of the registered population (row <paramref name="index"/> of the household registration).</summary>
    public static SamplePerson Of(ulong seed, long index)
    {
        var household = index / 3;
        var member = (int)(index % 3);
        var hash = SampleRandom.Hash(seed, 500, (ulong)household);
        var place = SampleAddresses.Of(seed).Place(hash, 0.7);
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
        var sequence = random.Next(500) * 2 + (male ? 1 : 0);
        var nameSurname = member == 1 ? random.Pick(SampleVocabulary.Surnames) : surname;
        var (given1, given2) = Given(ref random, male);
        var weight = random.Next(1000);
        var ethnicity = Ethnicities.First(e => (weight -= e.Weight) < 0).Code;
        return new SamplePerson(index, place, nameSurname, given1, given2, male, born, birthCounty.Code, sequence, ethnicity, registered);
    }

    /// <summary>
    /// Someone not in the household registration (registered in another Anhui city): a spouse who married into a
    /// household, a worker from elsewhere. Fixed by the seed, a stream and a key; lives at a Hefei address.
    /// </summary>
    public static SamplePerson Outsider(ulong seed, ulong stream, long key, bool male, DateOnly born)
    {
        var random = new SampleRandom(seed, stream, (ulong)key);
        var place = SampleAddresses.Of(seed).Place(random.NextBits(), 0.9);
        var county = random.Pick(OutsideCounties);
        var sequence = random.Next(500) * 2 + (male ? 1 : 0);
        var surname = random.Pick(SampleVocabulary.Surnames);
        var (given1, given2) = Given(ref random, male);
        return new SamplePerson(-1 - key, place, surname, given1, given2, male, born, county, sequence, "01", born);
    }

    /// <summary>A newborn of this seed and key, with a surname given, born in a Hefei county.</summary>
    public static SamplePerson Newborn(ulong seed, long key, string surname, DateOnly born, SamplePlace place)
    {
        var random = new SampleRandom(seed, 530, (ulong)key);
        var male = random.Chance(0.52);
        var sequence = random.Next(500) * 2 + (male ? 1 : 0);
        var (given1, given2) = Given(ref random, male);
        return new SamplePerson(-1 - key, place, surname, given1, given2, male, born, place.County.Code, sequence, "01", born);
    }

    /// <summary>One or two given-name characters (the second in seven names of ten), for a man or a woman.</summary>
    internal static (string First, string? Second) Given(ref SampleRandom random, bool male)
    {
        var given = male ? SampleVocabulary.GivenMale : SampleVocabulary.GivenFemale;
        var first = random.Pick(given);
        return (first, random.Chance(0.7) ? random.Pick(given) : null);
    }

    private static DateOnly Min(DateOnly a, DateOnly b) => a < b ? a : b;
}
