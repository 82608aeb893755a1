using DataHub.Catalog;
using DataHub.Host.Platform;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DataHub.Host.Api;

/// <summary><c>/api/v1/catalog</c>: the L1–L5 tree, search and the coverage report.</summary>
public static class CatalogApi
{
    /// <summary>Maps the endpoints.</summary>
    public static IEndpointRouteBuilder MapCatalogApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/catalog").WithTags("Catalog");
        group.MapGet("/tree", TreeAsync).WithName("GetCatalogTree")
            .WithSummary("The L1–L5 architecture as a tree, from every L1 group or from ?root=<code>, ?depth=1–5 levels deep, with grades and data elements.");
        group.MapGet("/search", SearchAsync).WithName("SearchCatalog")
            .WithSummary("Finds L1–L5 nodes, data elements and datasets containing ?q= (Chinese or English), ranked exact, prefix, contains; attributes holding data first.");
        group.MapGet("/coverage", CoverageAsync).WithName("GetCatalogCoverage")
            .WithSummary("Columns mapped to L5 attributes, unmapped columns, and L5 attributes without data (?limit= listed, default 100).");
        return app;
    }

    private static async Task<Results<Ok<IReadOnlyList<CatalogTreeNode>>, ProblemHttpResult>> TreeAsync(
        DataHubPlatform platform, CancellationToken ct, string? root = null, int depth = 5)
    {
        if (depth is < 1 or > 5)
        {
            return TypedResults.Problem("depth must be between 1 and 5.", statusCode: StatusCodes.Status400BadRequest, title: "Invalid depth");
        }

        var tree = await platform.Catalog.GetTreeAsync(string.IsNullOrWhiteSpace(root) ? null : root.Trim(), depth, ct);
        return tree is null
            ? TypedResults.Problem($"The architecture has no node '{root}'.", statusCode: StatusCodes.Status404NotFound, title: "Unknown node")
            : TypedResults.Ok(tree);
    }

    private static async Task<Results<Ok<IReadOnlyList<CatalogSearchHit>>, ProblemHttpResult>> SearchAsync(
        DataHubPlatform platform, CancellationToken ct, string? q = null, int limit = 20)
    {
        var query = q?.Trim() ?? string.Empty;
        if (query.Length is 0 or > CatalogStore.MaxQueryLength)
        {
            return TypedResults.Problem(
                $"q must have 1 to {CatalogStore.MaxQueryLength} characters.", statusCode: StatusCodes.Status400BadRequest, title: "Invalid query");
        }

        if (limit is < 1 or > CatalogStore.MaxSearchResults)
        {
            return TypedResults.Problem(
                $"limit must be between 1 and {CatalogStore.MaxSearchResults}.", statusCode: StatusCodes.Status400BadRequest, title: "Invalid limit");
        }

        return TypedResults.Ok(await platform.Catalog.SearchAsync(query, limit, ct));
    }

    private static async Task<Results<Ok<CoverageReport>, ProblemHttpResult>> CoverageAsync(
        DataHubPlatform platform, CancellationToken ct, int limit = 100)
    {
        if (limit is < 0 or > 10_000)
        {
            return TypedResults.Problem("limit must be between 0 and 10000.", statusCode: StatusCodes.Status400BadRequest, title: "Invalid limit");
        }

        return TypedResults.Ok(await platform.Catalog.GetCoverageAsync(limit, ct));
    }
}
