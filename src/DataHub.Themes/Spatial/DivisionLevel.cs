using System.Text.Json.Serialization;

namespace DataHub.Themes.Spatial;

/// <summary>The levels of Hefei's administrative divisions below the city.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DivisionLevel>))]
public enum DivisionLevel
{
    /// <summary>区县: a county-level division (GB/T 2260, 6 digits).</summary>
    County,

    /// <summary>乡镇街道: a township, town or sub-district (statistical code, 9 digits).</summary>
    Township,

    /// <summary>社区/村: a residents' or villagers' committee (statistical code, 12 digits).</summary>
    Community,
}
