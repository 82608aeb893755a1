using System.Text.Json.Serialization;

namespace DataHub.Themes.Spatial;

/// <summary>The kinds of <see cref="AddressIssue"/>.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AddressIssueKind>))]
public enum AddressIssueKind
{
    /// <summary>The part contradicts another part (a township not in that county) or the matched standard address.</summary>
    Conflict,

    /// <summary>The part is absent although the standard address has it (filled in from the match).</summary>
    Missing,

    /// <summary>Text that is no part the library knows (an unknown road, a stray word, no such door number).</summary>
    Unknown,

    /// <summary>The matched standard address is struck off the register (注销).</summary>
    Cancelled,
}
