using System.Text.Json.Serialization;

namespace DataHub.Themes.Spatial;

/// <summary>The parts of a standard address, from the province down to the room (一标三实 hierarchy).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AddressPart>))]
public enum AddressPart
{
    /// <summary>省.</summary>
    Province,

    /// <summary>市.</summary>
    City,

    /// <summary>区县.</summary>
    County,

    /// <summary>乡镇街道.</summary>
    Township,

    /// <summary>社区/村.</summary>
    Community,

    /// <summary>街路巷 (or a village's 村民小组).</summary>
    Road,

    /// <summary>门牌号.</summary>
    DoorNumber,

    /// <summary>小区.</summary>
    Estate,

    /// <summary>楼栋 (栋, 幢, 号楼, 座, #).</summary>
    Building,

    /// <summary>单元.</summary>
    Unit,

    /// <summary>户室.</summary>
    Room,
}
