using DataHub.Catalog.Lineage;
using DataHub.Host.Platform;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DataHub.Host.Api;

/// <summary><c>/api/v1/lineage</c>: the column lineage graph around a dataset.</summary>
public static class LineageApi
{
    /// <summary>The depth used when the request gives none.</summary>
    public const int DefaultDepth = 3;

    /// <summary>Maps the endpoints.</summary>
    public static IEndpointRouteBuilder MapLineageApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/lineage").WithTags("Lineage");
        group.MapGet("/{**dataset}", GetGraphAsync).WithName("GetLineage")
            .WithSummary("The column lineage of a dataset: the columns it was produced from (up), produced from it (down) or both, to a depth of 1–10.");
        return app;
    }

    private static async Task<Results<Ok<LineageGraph>, ProblemHttpResult>> GetGraphAsync(
        string dataset, DataHubPlatform platform, CancellationToken ct, string direction = "up", int depth = DefaultDepth)
    {
        if (!LineageDatasetName.IsValid(dataset))
        {
            return TypedResults.Problem(
                $"'{dataset}' is not a dataset name: schema.table for a lake table, namespace:name (such as file:samples/water/x.csv) for a source.",
                statusCode: StatusCodes.Status400BadRequest, title: "Invalid dataset name");
        }

        LineageDirection? walk = direction switch
        {
            "up" => LineageDirection.Up,
            "down" => LineageDirection.Down,
            "both" => LineageDirection.Both,
            _ => null,
        };
        if (walk is null)
        {
            return TypedResults.Problem("direction must be up, down or both.", statusCode: StatusCodes.Status400BadRequest, title: "Invalid direction");
        }

        if (depth is < 1 or > LineageStore.MaxDepth)
        {
            return TypedResults.Problem($"depth must be between 1 and {LineageStore.MaxDepth}.", statusCode: StatusCodes.Status400BadRequest, title: "Invalid depth");
        }

        var graph = await platform.Lineage.Store.GetGraphAsync(dataset, walk.Value, depth, ct);
        if (graph is not null)
        {
            return TypedResults.Ok(graph);
        }

        // A catalogued table nothing has written yet has an empty graph; a name nobody knows is not found.
        return await platform.Catalog.GetDatasetAsync(dataset, ct) is not null
            ? TypedResults.Ok(new LineageGraph(dataset, walk.Value, depth, [], []))
            : TypedResults.Problem($"Neither the catalog nor the lineage knows a dataset '{dataset}'.", statusCode: StatusCodes.Status404NotFound, title: "Unknown dataset");
    }
}
