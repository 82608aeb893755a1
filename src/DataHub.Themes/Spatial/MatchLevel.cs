using System.Text.Json.Serialization;

namespace DataHub.Themes.Spatial;

/// <summary>How far down the hierarchy a free-text address was matched to the standard address library.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<MatchLevel>))]
public enum MatchLevel
{
    /// <summary>Nothing matched: not an address of Hefei the library knows.</summary>
    None,

    /// <summary>Only the county.</summary>
    County,

    /// <summary>Down to the township.</summary>
    Township,

    /// <summary>Down to the community or village.</summary>
    Community,

    /// <summary>The road is known in that area, the door number not (or not given).</summary>
    Road,

    /// <summary>Road and door number; several standard addresses below it fit.</summary>
    DoorNumber,

    /// <summary>Down to the building; several units or rooms fit.</summary>
    Building,

    /// <summary>Down to the unit; several rooms fit.</summary>
    Unit,

    /// <summary>One standard address: its code is returned.</summary>
    Address,
}
