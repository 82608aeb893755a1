using System.Security.Cryptography;
using System.Text;
using DataHub.Host.Platform;
using DataHub.Host.Samples;
using DataHub.Quality.Functions;

namespace DataHub.Host.Tests.Samples;

/// <summary>
/// The theme sources (marriage, vital events, social insurance, tax, water accounts) draw the same people and
/// enterprises as the household registration and the market register: generated twice they are the same bytes,
/// in the committed samples most registered people are in two to four sources, and every fact of
/// <c>samples/themes/expected_conflicts.csv</c> is in the files it names.
/// </summary>
public sealed class ThemeSourcesTests : IDisposable
{
    private static readonly string Root = DataHubSettings.FindRoot();
    private static readonly string Samples = Path.Combine(Root, "samples");
    private readonly string _out = Directory.CreateTempSubdirectory("datahub-themes-").FullName;

    /// <summary>The sample file of each theme dataset (and of the two registers they are fused with).</summary>
    private static readonly Dictionary<string, string> Files = new(StringComparer.Ordinal)
    {
        ["population.household_registration"] = "population/household_registration_2026-09-30.csv",
        ["market.business_registration"] = "market/business_registration_2026-10.ndjson",
        ["civil.marriage_registration"] = "civil/marriage_registration_2026-09.csv",
        ["health.vital_event"] = "health/vital_events_2026-09.csv",
        ["hrss.insurance_enrollment"] = "hrss/insurance_enrollment_2026-09.csv",
        ["tax.taxpayer_registration"] = "tax/taxpayer_registration_2026-09.csv",
        ["water.account_holder"] = "water_account/account_holders_2026-09.csv",
    };

    private static readonly string[] CreditHeaders = ["统一社会信用代码", "纳税人识别号", "单位统一社会信用代码"];

    public void Dispose() => Directory.Delete(_out, recursive: true);

    public static TheoryData<string> ThemeKinds() =>
        [nameof(SampleKind.Marriage), nameof(SampleKind.Vital), nameof(SampleKind.Insurance), nameof(SampleKind.Tax), nameof(SampleKind.WaterAccount)];

    [Theory]
    [MemberData(nameof(ThemeKinds))]
    public void The_same_seed_gives_the_same_bytes_and_another_seed_does_not(string name)
    {
        var kind = Enum.Parse<SampleKind>(name);
        string Hash(string folder, ulong seed)
        {
            var report = SampleGenerator.Generate(kind, 3_000, Path.Combine(_out, folder), SampleEncoding.Utf8, seed, null, CancellationToken.None);
            return Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(report.Path)));
        }

        var first = Hash("a", 20261001);
        Assert.Equal(first, Hash("b", 20261001));
        Assert.NotEqual(first, Hash("c", 20261002));
    }

    [Fact]
    public void Most_registered_people_are_in_two_to_four_sources_and_every_theme_source_shares_identifiers_with_its_register()
    {
        var registered = IdsIn("population.household_registration", Citizen);
        var sources = new[] { "civil.marriage_registration", "health.vital_event", "hrss.insurance_enrollment", "water.account_holder" }
            .ToDictionary(d => d, d => IdsIn(d, Citizen), StringComparer.Ordinal);
        foreach (var (dataset, ids) in sources)
        {
            Assert.True(ids.Intersect(registered).Count() >= 50, $"{dataset} shares {ids.Intersect(registered).Count()} citizen IDs with the household registration");
        }

        var counts = registered.Select(id => 1 + sources.Values.Count(s => s.Contains(id))).ToList();
        Assert.True(counts.Count(c => c is >= 2 and <= 4) > counts.Count * 0.75, string.Join(",", counts.GroupBy(c => c).OrderBy(g => g.Key).Select(g => $"{g.Key}:{g.Count()}")));

        var market = IdsIn("market.business_registration", Credit);
        Assert.True(IdsIn("tax.taxpayer_registration", Credit).Intersect(market).Count() >= 200);
        Assert.True(IdsIn("hrss.insurance_enrollment", Credit).Intersect(market).Count() >= 100);
        Assert.True(IdsIn("water.account_holder", Credit).Intersect(market).Count() >= 80);
    }

    [Fact]
    public void Every_fact_of_the_expected_conflicts_is_in_the_sample_files()
    {
        var lines = File.ReadAllLines(Path.Combine(Samples, "themes", "expected_conflicts.csv"), Encoding.UTF8);
        Assert.Equal("theme,key,field,expected,evidence,why", lines[0]);
        var facts = lines.Skip(1).Select(SourceFile.SplitCsv).ToList();
        Assert.True(facts.Count >= 15);
        Assert.Contains(facts, f => f[0] == "population");
        Assert.Contains(facts, f => f[0] == "legal_entity");
        foreach (var fact in facts)
        {
            var (theme, key) = (fact[0], fact[1]);
            Func<string, string, string?> normalize = theme == "population" ? Citizen : Credit;
            foreach (var evidence in fact[4].Split(';'))
            {
                var parts = evidence.Split('|');
                var file = SourceFile.Read(Path.Combine(Samples, Files[parts[0]]));
                var rows = file.Records.Where(r => file.Headers.Any(h => normalize(h, r[h]) == key)).ToList();
                Assert.True(rows.Count > 0, $"{key}: no row of {parts[0]} names it");
                Assert.True(rows.Any(r => r[parts[1]] == parts[2]), $"{key}: no row of {parts[0]} has {parts[1]} = '{parts[2]}' (has: {string.Join(", ", rows.Select(r => r[parts[1]]))})");
            }
        }
    }

    private static HashSet<string> IdsIn(string dataset, Func<string, string, string?> normalize)
    {
        var file = SourceFile.Read(Path.Combine(Samples, Files[dataset]));
        return file.Records.SelectMany(r => file.Headers.Select(h => normalize(h, r[h]))).OfType<string>().ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>A citizen ID column's value as the 18-character number: trimmed, half-width, upper-case X, 15 digits widened (19 and the check).</summary>
    private static string? Citizen(string header, string value)
    {
        if (!header.EndsWith("公民身份号码", StringComparison.Ordinal))
        {
            return null;
        }

        var plain = new string(value.Trim().Select(c => c is >= '！' and <= '～' ? (char)(c - '！' + '!') : char.ToUpperInvariant(c)).ToArray());
        if (plain.Length == 15 && plain.All(char.IsAsciiDigit))
        {
            var first17 = plain[..6] + "19" + plain[6..];
            plain = first17 + CheckDigits.CitizenCheck(Encoding.ASCII.GetBytes(first17));
        }

        return plain.Length == 18 && CheckDigits.IsValidCitizenId(Encoding.ASCII.GetBytes(plain)) ? plain : null;
    }

    /// <summary>A credit code column's value; an old 15-character taxpayer number stands for the code whose characters 3–17 it is (found in the market register).</summary>
    private static string? Credit(string header, string value)
    {
        if (!CreditHeaders.Contains(header) || value.Length == 0)
        {
            return null;
        }

        return value.Length == 15 ? OldNumbers.Value.GetValueOrDefault(value) : value;
    }

    private static readonly Lazy<Dictionary<string, string>> OldNumbers = new(() =>
    {
        var market = SourceFile.Read(Path.Combine(Samples, Files["market.business_registration"]));
        return market.Records.Select(r => r["统一社会信用代码"]).Where(c => c.Length == 18).DistinctBy(c => c[2..17]).ToDictionary(c => c[2..17], c => c, StringComparer.Ordinal);
    });
}
