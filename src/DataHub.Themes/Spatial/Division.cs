namespace DataHub.Themes.Spatial;

/// <summary>One administrative division of Hefei: county, township or community.</summary>
/// <param name="Code">GB/T 2260 (county) or statistical division code (township 9 digits, community 12).</param>
/// <param name="Name">The official name, such as 蜀山区, 三里庵街道, 安居苑社区居委会.</param>
/// <param name="ShortName">The name standard addresses use: 安居苑社区, 李杨村 (equal to the name above the community level).</param>
/// <param name="Level">County, township or community.</param>
/// <param name="Parent">The county of a township, the township of a community; null for a county.</param>
public sealed record Division(string Code, string Name, string ShortName, DivisionLevel Level, Division? Parent)
{
    /// <summary>The county this division is in (itself for a county).</summary>
    public Division County => Level == DivisionLevel.County ? this : Parent!.County;

    /// <summary>The township of a community (itself for a township); null for a county.</summary>
    public Division? Township => Level switch
    {
        DivisionLevel.Township => this,
        DivisionLevel.Community => Parent,
        _ => null,
    };

    /// <summary>Whether <paramref name="other"/> is this division or lies inside it.</summary>
    /// <param name="other">Another division.</param>
    public bool Contains(Division other)
    {
        ArgumentNullException.ThrowIfNull(other);
        for (Division? d = other; d is not null; d = d.Parent)
        {
            if (ReferenceEquals(d, this))
            {
                return true;
            }
        }

        return false;
    }

    /// <inheritdoc />
    public override string ToString() => $"{Name} ({Code})";
}
