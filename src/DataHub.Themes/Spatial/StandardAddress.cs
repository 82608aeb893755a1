namespace DataHub.Themes.Spatial;

/// <summary>
/// One standard address (标准地址) of the library, as the columns of <c>spatial.standard_address</c> hold it. Parts an
/// address does not have (a village's estate, building, unit, room) are empty strings.
/// </summary>
/// <param name="Code">The stable address code: the community's 12 digits and an 8-digit sequence.</param>
/// <param name="FullAddress">安徽省合肥市蜀山区三里庵街道安居苑社区长江西路100号翠竹花园3栋2单元501室.</param>
/// <param name="County">区县 name.</param>
/// <param name="Township">乡镇街道 name.</param>
/// <param name="Community">社区村 name.</param>
/// <param name="Road">街路巷 (a village's 村民小组, such as 9组).</param>
/// <param name="DoorNumber">门牌号, such as 100号.</param>
/// <param name="Estate">小区.</param>
/// <param name="Building">楼栋, such as 3栋.</param>
/// <param name="Unit">单元, such as 2单元.</param>
/// <param name="Room">户室, such as 501室.</param>
/// <param name="CountyCode">行政区划代码 (6 digits).</param>
/// <param name="TownshipCode">乡镇街道代码 (9 digits).</param>
/// <param name="CommunityCode">社区村代码 (12 digits).</param>
/// <param name="Longitude">经度.</param>
/// <param name="Latitude">纬度.</param>
/// <param name="Status">有效, 待核实 or 注销.</param>
public sealed record StandardAddress(
    string Code, string FullAddress, string County, string Township, string Community, string Road, string DoorNumber,
    string Estate, string Building, string Unit, string Room, string CountyCode, string TownshipCode, string CommunityCode,
    double Longitude, double Latitude, string Status)
{
    /// <summary>The status of an address struck off the register.</summary>
    public const string Cancelled = "注销";
}
