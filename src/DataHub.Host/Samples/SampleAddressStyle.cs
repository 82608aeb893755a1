namespace DataHub.Host.Samples;

/// <summary>
/// How a department writes an address (<see cref="SampleAddresses.Write"/>). The first seven are ways of writing a
/// standard address that the geocoder resolves to its code; the last two leave a part out on purpose, so that the
/// address does not resolve (nor does any style of a place the library does not list).
/// </summary>
internal enum SampleAddressStyle
{
    /// <summary>安徽省合肥市蜀山区三里庵街道安居苑社区长江西路123号翠竹花园5栋2单元1502室: the standard full address.</summary>
    Full,

    /// <summary>The full address without 安徽省.</summary>
    NoProvince,

    /// <summary>合肥蜀山三里庵安居苑社区…: the county and township as people say them (without 区/县, 街道/镇/乡).</summary>
    Colloquial,

    /// <summary>The address without 安徽省, the numbers in full-width digits (１２３号), as a Chinese input method types them.</summary>
    FullWidth,

    /// <summary>No community, 5幢 or 5号楼 for 5栋 and 二单元 for 2单元.</summary>
    BuildingWords,

    /// <summary>合肥市蜀山区长江西路123号翠竹花园5-2-1502: building, unit and room as one dashed number, no township.</summary>
    Dashed,

    /// <summary>A utility's short form: 合肥市蜀山区长江西路123号翠竹花园5栋1502室 (no township, community or unit).</summary>
    Utility,

    /// <summary>Not resolvable: the room left out (a village address: its door number).</summary>
    NoRoom,

    /// <summary>Not resolvable: the door number left out.</summary>
    NoDoor,
}
