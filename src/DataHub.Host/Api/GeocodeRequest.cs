namespace DataHub.Host.Api;

/// <summary>The body of <c>POST /api/v1/spatial/geocode</c>.</summary>
/// <param name="Addresses">Free-text addresses, 1–1000.</param>
public sealed record GeocodeRequest(IReadOnlyList<string>? Addresses);
