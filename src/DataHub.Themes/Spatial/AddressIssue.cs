namespace DataHub.Themes.Spatial;

/// <summary>What the geocoder found wrong with one part of a free-text address.</summary>
/// <param name="Kind">Conflicting, missing, not understood, or a struck-off address.</param>
/// <param name="Part">The part concerned.</param>
/// <param name="Message">The problem in words, naming the given and the expected values.</param>
public sealed record AddressIssue(AddressIssueKind Kind, AddressPart Part, string Message);
