namespace DataHub.Themes.Spatial;

/// <summary>A division in a geocoding answer.</summary>
/// <param name="Code">Its GB/T 2260 or statistical division code.</param>
/// <param name="Name">Its name.</param>
public sealed record DivisionMatch(string Code, string Name)
{
    internal static DivisionMatch? Of(Division? division) => division is null ? null : new DivisionMatch(division.Code, division.ShortName);
}
