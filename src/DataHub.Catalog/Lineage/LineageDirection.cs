using System.Text.Json.Serialization;

namespace DataHub.Catalog.Lineage;

/// <summary>Which way a lineage graph is walked from a dataset.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<LineageDirection>))]
public enum LineageDirection
{
    /// <summary>Towards the sources: the columns a dataset's columns were produced from.</summary>
    [JsonStringEnumMemberName("up")]
    Up,

    /// <summary>Towards the consumers: the columns produced from a dataset's columns.</summary>
    [JsonStringEnumMemberName("down")]
    Down,

    /// <summary>Both ways.</summary>
    [JsonStringEnumMemberName("both")]
    Both,
}
