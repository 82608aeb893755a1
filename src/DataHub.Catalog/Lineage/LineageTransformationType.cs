using System.Text.Json.Serialization;

namespace DataHub.Catalog.Lineage;

/// <summary>How an input column bears on an output column (OpenLineage <c>transformations[].type</c>).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<LineageTransformationType>))]
public enum LineageTransformationType
{
    /// <summary>The output value is computed from the input value (identity, cast, expression, aggregate).</summary>
    [JsonStringEnumMemberName("DIRECT")]
    Direct,

    /// <summary>The input decides which rows or groups exist (filter, join key, group key, sort) but is not copied.</summary>
    [JsonStringEnumMemberName("INDIRECT")]
    Indirect,
}
