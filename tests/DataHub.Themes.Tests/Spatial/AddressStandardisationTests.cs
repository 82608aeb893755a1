using DataHub.Themes.Spatial;

namespace DataHub.Themes.Tests.Spatial;

/// <summary>
/// The geocoder on a small library of real Hefei divisions: the issue's example address (蜀山区三里庵街道绩溪路社区
/// 长江西路100号翠竹花园3栋2单元501室), its neighbour in unit 1, a cancelled flat, and a village address.
/// </summary>
public sealed class AddressStandardisationTests
{
    private const string Example = "34010400100200000001";

    private static readonly Geocoder Geocoder = new(new StandardAddressLibrary(
    [
        Address(Example, "340104", "蜀山区", "340104001", "三里庵街道", "340104001002", "绩溪路社区", "长江西路", "100号", "翠竹花园", "3栋", "2单元", "501室", 117.2481, 31.8622),
        Address("34010400100200000002", "340104", "蜀山区", "340104001", "三里庵街道", "340104001002", "绩溪路社区", "长江西路", "100号", "翠竹花园", "3栋", "1单元", "501室", 117.2482, 31.8623),
        Address("34010400100200000003", "340104", "蜀山区", "340104001", "三里庵街道", "340104001002", "绩溪路社区", "长江西路", "102号", "翠竹花园", "1栋", "1单元", "101室", 117.2490, 31.8625, "注销"),
        Address("34012110020400000004", "340121", "长丰县", "340121100", "水湖镇", "340121100204", "李杨村", "9组", "127号", "", "", "", "", 117.1650, 32.4780),
    ]));

    [Fact]
    public void The_example_address_gets_its_code_the_division_code_of_each_level_and_coordinates()
    {
        var r = Geocoder.Geocode("合肥市蜀山区三里庵街道长江西路100号3栋2单元501室");
        Assert.Equal((MatchLevel.Address, Example, 1), (r.Level, r.Code, r.Candidates));
        Assert.Equal(("340104", "340104001", "340104001002"), (r.County!.Code, r.Township!.Code, r.Community!.Code));
        Assert.Equal((117.2481, 31.8622), (r.Longitude!.Value, r.Latitude!.Value));
        Assert.Equal("安徽省合肥市蜀山区三里庵街道绩溪路社区长江西路100号翠竹花园3栋2单元501室", r.StandardAddress);
        Assert.False(r.HasConflict);
        // The community and the estate were left out: missing, filled in from the match.
        Assert.Equal([AddressPart.Community, AddressPart.Estate], r.Issues.Where(i => i.Kind == AddressIssueKind.Missing).Select(i => i.Part));
        Assert.InRange(r.Confidence, 0.9, 0.99);
        Assert.Equal(("蜀山区", "三里庵街道", "长江西路", "100", "3", "2", "501"),
            (r.Parsed.County, r.Parsed.Township, r.Parsed.Road, r.Parsed.DoorNumber, r.Parsed.Building, r.Parsed.Unit, r.Parsed.Room));
    }

    [Theory]
    [InlineData("安徽省合肥市蜀山区三里庵街道绩溪路社区长江西路100号翠竹花园3栋2单元501室")]
    [InlineData("蜀山区三里庵街道长江西路100号3栋2单元501室")]
    [InlineData("合肥市蜀山区三里庵街道长江西路１００号３栋２单元５０１室")]
    [InlineData("合肥市蜀山区三里庵街道长江西路100号3号楼2单元501室")]
    [InlineData("合肥市蜀山区三里庵街道长江西路100号3幢2单元501室")]
    [InlineData("合肥市蜀山区三里庵街道长江西路100号3#2单元501室")]
    [InlineData("合肥市蜀山区三里庵街道长江西路100号三栋二单元501室")]
    [InlineData("合肥蜀山三里庵长江西路100号3栋2单元501")]
    [InlineData("安徽 合肥市　蜀山区 长江西路 100号 翠竹花园 3栋 2单元 501室")]
    [InlineData("合肥市蜀山区长江西路100号翠竹花园3-2-501")]
    [InlineData("蜀山区绩溪路社区长江西路100号翠竹花园3栋2单元5楼501室")]
    public void Variants_of_the_example_resolve_to_the_same_code(string text)
    {
        var r = Geocoder.Geocode(text);
        Assert.Equal(MatchLevel.Address, r.Level);
        Assert.Equal(Example, r.Code);
        Assert.False(r.HasConflict, string.Join(" | ", r.Issues.Select(i => i.Message)));
    }

    [Fact]
    public void A_township_not_in_the_county_is_a_conflict_that_names_both()
    {
        var r = Geocoder.Geocode("合肥市蜀山区岗集镇长江西路100号3栋2单元501室");
        var conflict = Assert.Single(r.Issues, i => i.Kind == AddressIssueKind.Conflict);
        Assert.Equal(AddressPart.Township, conflict.Part);
        Assert.Contains("岗集镇", conflict.Message, StringComparison.Ordinal);
        Assert.Contains("蜀山区", conflict.Message, StringComparison.Ordinal);
        Assert.Contains("长丰县", conflict.Message, StringComparison.Ordinal);
        // Road, door, building, unit and room still single out the address, with less confidence.
        Assert.Equal(Example, r.Code);
        Assert.True(r.Confidence < 0.75, $"confidence {r.Confidence}");
    }

    [Fact]
    public void A_community_of_another_township_is_a_conflict()
    {
        var r = Geocoder.Geocode("合肥市蜀山区三里庵街道望江西路社区长江西路100号3栋2单元501室");
        var conflict = Assert.Single(r.Issues, i => i.Kind == AddressIssueKind.Conflict);
        Assert.Equal(AddressPart.Community, conflict.Part);
        Assert.Contains("稻香村街道", conflict.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_county_that_disagrees_with_the_only_address_at_that_door_is_a_conflict()
    {
        var r = Geocoder.Geocode("合肥市庐阳区长江西路100号3栋2单元501室");
        Assert.Equal(Example, r.Code);
        var conflict = Assert.Single(r.Issues, i => i.Kind == AddressIssueKind.Conflict);
        Assert.Equal(AddressPart.County, conflict.Part);
        Assert.Contains("340104", conflict.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_divisions_are_flagged_and_filled_in()
    {
        var r = Geocoder.Geocode("长江西路100号3栋2单元501室");
        Assert.Equal(Example, r.Code);
        Assert.Equal("340104001002", r.Community!.Code);
        var missing = r.Issues.Where(i => i.Kind == AddressIssueKind.Missing).Select(i => i.Part).ToList();
        Assert.Equal([AddressPart.County, AddressPart.Township, AddressPart.Community, AddressPart.Estate], missing);
    }

    [Fact]
    public void Without_a_door_number_there_is_no_code_and_the_door_number_is_missing()
    {
        var r = Geocoder.Geocode("合肥市蜀山区三里庵街道长江西路3栋2单元501室");
        Assert.Null(r.Code);
        Assert.Equal(MatchLevel.Road, r.Level);
        Assert.Contains(r.Issues, i => i.Kind == AddressIssueKind.Missing && i.Part == AddressPart.DoorNumber);
        Assert.Equal("340104001", r.Township!.Code);
        Assert.NotNull(r.Longitude);
    }

    [Fact]
    public void Without_the_unit_two_flats_fit_and_no_code_is_given()
    {
        var r = Geocoder.Geocode("合肥市蜀山区长江西路100号翠竹花园3栋501室");
        Assert.Equal((MatchLevel.Building, null, 2), (r.Level, r.Code, r.Candidates));
        Assert.Contains(r.Issues, i => i.Kind == AddressIssueKind.Missing && i.Part == AddressPart.Unit);
        Assert.Equal("340104001002", r.Community!.Code);
    }

    [Fact]
    public void A_room_the_building_does_not_have_is_reported_unknown_and_matches_only_the_building()
    {
        var r = Geocoder.Geocode("合肥市蜀山区长江西路100号3栋2单元909室");
        Assert.Null(r.Code);
        Assert.Equal(MatchLevel.Unit, r.Level);
        Assert.Contains(r.Issues, i => i.Kind == AddressIssueKind.Unknown && i.Message.Contains("room 909", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("安徽省合肥市长丰县水湖镇李杨村9组127号")]
    [InlineData("长丰水湖李杨村9组127号")]
    [InlineData("长丰县水湖镇李杨村九组127号")]
    public void A_village_address_resolves_by_its_group_and_door_number(string text)
    {
        var r = Geocoder.Geocode(text);
        Assert.Equal((MatchLevel.Address, "34012110020400000004"), (r.Level, r.Code));
        Assert.Equal("340121100204", r.Community!.Code);
    }

    [Fact]
    public void A_cancelled_standard_address_is_matched_and_flagged()
    {
        var r = Geocoder.Geocode("合肥市蜀山区三里庵街道长江西路102号1栋1单元101室");
        Assert.Equal("34010400100200000003", r.Code);
        Assert.Contains(r.Issues, i => i.Kind == AddressIssueKind.Cancelled);
    }

    [Fact]
    public void An_address_outside_the_library_matches_nothing_and_says_what_it_did_not_understand()
    {
        var r = Geocoder.Geocode("北京市海淀区中关村大街1号");
        Assert.Equal((MatchLevel.None, null, 0.0), (r.Level, r.Code, r.Confidence));
        Assert.Contains(r.Issues, i => i.Kind == AddressIssueKind.Unknown);
    }

    [Fact]
    public void An_address_of_a_known_township_only_resolves_to_the_township()
    {
        var r = Geocoder.Geocode("合肥市蜀山区三里庵街道");
        Assert.Equal((MatchLevel.Township, "340104001"), (r.Level, r.Township!.Code));
        Assert.Null(r.Code);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void An_empty_address_is_refused_with_a_clear_message(string text)
    {
        var e = Assert.Throws<ArgumentException>(() => Geocoder.Geocode(text));
        Assert.Contains("empty", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_overlong_address_is_refused_naming_its_length()
    {
        var e = Assert.Throws<ArgumentException>(() => Geocoder.Geocode(new string('路', 201)));
        Assert.Contains("201", e.Message, StringComparison.Ordinal);
    }

    private static StandardAddress Address(
        string code, string countyCode, string county, string townshipCode, string township, string communityCode, string community,
        string road, string door, string estate, string building, string unit, string room, double lon, double lat, string status = "有效") =>
        new(code, "安徽省合肥市" + county + township + community + road + door + estate + building + unit + room, county, township, community,
            road, door, estate, building, unit, room, countyCode, townshipCode, communityCode, lon, lat, status);
}
