using DataHub.Catalog;
using DataHub.Exchange.Masking;

namespace DataHub.Exchange.Tests;

public sealed class SampleAddressTests
{
    [Fact]
    public void Every_parsed_sample_address_is_cut_exactly_after_its_township()
    {
        // The standard-address sample carries each address's levels in their own columns: 标准地址全称,省,市,区县,乡镇街道.
        var file = Path.Combine(Path.GetDirectoryName(CatalogDefinitions.FindDirectory())!, "samples", "address", "standard_address_2026-09.csv");
        var checkedRows = 0;
        foreach (var line in File.ReadLines(file).Skip(1))
        {
            var fields = line.Split(',');
            var levels = fields[2..6];
            if (levels.Any(l => l.Length == 0 || l == "无") || !fields[1].StartsWith(string.Concat(levels), StringComparison.Ordinal))
            {
                continue; // the sample's deliberate dirt
            }

            // Township-level 社区 (as in 滨湖世纪社区) cannot be told from the community level below a township: cut at the county.
            var township = levels[3].EndsWith("社区", StringComparison.Ordinal) || levels[3].EndsWith("社区服务中心", StringComparison.Ordinal)
                ? string.Concat(levels[..3])
                : string.Concat(levels);
            Assert.Equal(township + Masks.AddressFill, Masks.Address(fields[1]));
            Assert.Equal(string.Concat(levels[..3]) + Masks.AddressFill, Masks.Address(fields[1], AddressCut.County));
            checkedRows++;
        }

        Assert.True(checkedRows > 350, $"only {checkedRows} rows checked");
    }

    [Fact]
    public void Every_hefei_township_of_the_code_set_is_kept_whole()
    {
        var townships = CatalogDefinitions.Load(CatalogDefinitions.FindDirectory()).CodeSets.Single(c => c.Code == "township").Values;
        Assert.True(townships.Count > 150);
        foreach (var township in townships.Select(t => t.Name))
        {
            var expected = township.EndsWith("社区", StringComparison.Ordinal) || township.EndsWith("社区服务中心", StringComparison.Ordinal)
                ? "安徽省合肥市肥东县"
                : "安徽省合肥市肥东县" + township;
            Assert.Equal(expected + Masks.AddressFill, Masks.Address($"安徽省合肥市肥东县{township}和平路8号3栋"));
        }
    }
}
