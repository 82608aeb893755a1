namespace DataHub.Themes.Spatial;

/// <summary>
/// A free-text address split into the hierarchy's parts as written (after normalising full-width characters and
/// spaces); null where the text has no such part. Number parts are digits only: <c>DoorNumber</c> 100 for 100号,
/// <c>Building</c> 3 for 3栋, 3幢, 3号楼, 三栋 or 3#.
/// </summary>
public sealed record ParsedAddress
{
    /// <summary>省 as written.</summary>
    public string? Province { get; init; }

    /// <summary>市 as written.</summary>
    public string? City { get; init; }

    /// <summary>区县 as written (蜀山区 or 蜀山).</summary>
    public string? County { get; init; }

    /// <summary>乡镇街道 as written.</summary>
    public string? Township { get; init; }

    /// <summary>社区/村 as written.</summary>
    public string? Community { get; init; }

    /// <summary>街路巷 (or 9组).</summary>
    public string? Road { get; init; }

    /// <summary>门牌号, digits.</summary>
    public string? DoorNumber { get; init; }

    /// <summary>小区.</summary>
    public string? Estate { get; init; }

    /// <summary>楼栋, digits.</summary>
    public string? Building { get; init; }

    /// <summary>单元, digits.</summary>
    public string? Unit { get; init; }

    /// <summary>户室, digits.</summary>
    public string? Room { get; init; }

    /// <summary>Text the parser could not place.</summary>
    public IReadOnlyList<string> Unparsed { get; init; } = [];
}
