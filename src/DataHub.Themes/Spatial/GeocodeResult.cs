namespace DataHub.Themes.Spatial;

/// <summary>The answer for one free-text address.</summary>
/// <param name="Input">The address as given.</param>
/// <param name="Level">How far down it matched; <see cref="MatchLevel.Address"/> means one standard address.</param>
/// <param name="Confidence">0–1: the level's weight, lowered for each conflict, missing division, colloquial name and unparsed text.</param>
/// <param name="Code">The standard address code, when <paramref name="Level"/> is <see cref="MatchLevel.Address"/>.</param>
/// <param name="StandardAddress">The standard address's full text, when matched.</param>
/// <param name="County">The county matched.</param>
/// <param name="Township">The township matched.</param>
/// <param name="Community">The community or village matched.</param>
/// <param name="Longitude">The address's longitude (the mean of the candidates' below <see cref="MatchLevel.Address"/>).</param>
/// <param name="Latitude">Its latitude.</param>
/// <param name="Candidates">How many standard addresses fit equally well (1 for an address match, 0 when none is known).</param>
/// <param name="Parsed">The parts as read from the text.</param>
/// <param name="Issues">Conflicting, missing and unknown parts.</param>
public sealed record GeocodeResult(
    string Input, MatchLevel Level, double Confidence, string? Code, string? StandardAddress, DivisionMatch? County,
    DivisionMatch? Township, DivisionMatch? Community, double? Longitude, double? Latitude, int Candidates,
    ParsedAddress Parsed, IReadOnlyList<AddressIssue> Issues)
{
    /// <summary>Whether any part conflicts with another or with the standard address.</summary>
    public bool HasConflict => Issues.Any(i => i.Kind == AddressIssueKind.Conflict);
}
