using System.Security.Claims;
using DataHub.Catalog;
using DataHub.DuckDb;
using DataHub.Exchange.Identity;
using DataHub.Host.Auth;
using DataHub.Host.Platform;
using DataHub.Lake;
using DataHub.Lake.Tables;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DataHub.Host.Api;

/// <summary><c>/api/v1/datasets</c>: the catalog's datasets and previews of their rows.</summary>
public static class DatasetsApi
{
    /// <summary>The largest preview served.</summary>
    public const int MaxPreviewRows = 1000;

    /// <summary>Maps the endpoints.</summary>
    public static IEndpointRouteBuilder MapDatasetsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/datasets").WithTags("Datasets");
        group.MapGet("/", ListAsync).WithName("ListDatasets").WithSummary("Datasets in the catalog with provider, share type, grade and row count.");
        group.MapGet("/{name}", DetailAsync).WithName("GetDataset")
            .WithSummary("One dataset: GB/T 21063 catalogue metadata, schema with L5 mapping and grades, snapshots so far, column coverage.");
        group.MapGet("/{name}/preview", PreviewAsync).WithName("PreviewDataset")
            .WithSummary("The first rows of a dataset, read through DuckDB from the lake's Parquet files, unmasked: for bureau_admin and the providing department's approvers only (others get data through grants).")
            .RequireAuthorization(ExchangeAuth.Caller);
        return app;
    }

    private static async Task<Ok<IReadOnlyList<DatasetSummary>>> ListAsync(DataHubPlatform platform, CancellationToken ct) =>
        TypedResults.Ok(await platform.Catalog.ListDatasetsAsync(ct));

    private static async Task<Results<Ok<DatasetDetail>, ProblemHttpResult>> DetailAsync(string name, DataHubPlatform platform, CancellationToken ct)
    {
        if (!LakeStorage.IsTableName(name))
        {
            return TypedResults.Problem($"'{name}' is not a dataset name of the form schema.table.", statusCode: StatusCodes.Status400BadRequest, title: "Invalid dataset name");
        }

        var dataset = await platform.Catalog.GetDatasetAsync(name, ct);
        return dataset is null
            ? TypedResults.Problem($"The catalog has no dataset '{name}'.", statusCode: StatusCodes.Status404NotFound, title: "Unknown dataset")
            : TypedResults.Ok(dataset);
    }

    private static async Task<Results<Ok<DatasetPreview>, ProblemHttpResult, ForbidHttpResult>> PreviewAsync(
        string name, ClaimsPrincipal user, DataHubPlatform platform, CancellationToken ct, int limit = 20)
    {
        var provider = platform.Definitions.TryGetDataset(name, out var catalogued) ? catalogued.ProviderCode : null;
        if (!(user.IsInRole(ExchangeRoles.BureauAdmin) || (user.IsInRole(ExchangeRoles.Approver) && provider is not null && user.FindFirstValue(ApiKeyClaims.Department) == provider)))
        {
            return TypedResults.Forbid();
        }

        if (!LakeStorage.IsTableName(name))
        {
            return TypedResults.Problem($"'{name}' is not a dataset name of the form schema.table.", statusCode: StatusCodes.Status400BadRequest, title: "Invalid dataset name");
        }

        if (limit is < 1 or > MaxPreviewRows)
        {
            return TypedResults.Problem($"limit must be between 1 and {MaxPreviewRows}.", statusCode: StatusCodes.Status400BadRequest, title: "Invalid limit");
        }

        var dataset = await platform.Catalog.GetDatasetAsync(name, ct);
        if (dataset is null)
        {
            return TypedResults.Problem($"The catalog has no dataset '{name}'.", statusCode: StatusCodes.Status404NotFound, title: "Unknown dataset");
        }

        if (!await platform.Tables.ExistsAsync(name, ct))
        {
            return TypedResults.Ok(new DatasetPreview(name, dataset.Columns.Select(c => new PreviewColumn(c.Name, c.DataType)).ToList(), [], 0));
        }

        // The scan reads the current snapshot's files; their paths are checked to stay inside the lake.
        var scan = await platform.Tables.ScanAsync(name, LakeVersion.Current, ct);
        var rows = await Task.Run(() => ReadRows(scan.Sql, limit, ct), ct);
        return TypedResults.Ok(new DatasetPreview(name, rows.Columns, rows.Rows, scan.RowCount));
    }

    internal static (List<PreviewColumn> Columns, List<object?[]> Rows) ReadRows(string scanSql, int limit, CancellationToken ct)
    {
        using var connection = new DuckDbConnection("Data Source=:memory:datahub-api");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT * FROM ({scanSql}) LIMIT $limit";
        command.Parameters.Add("limit", limit);
        using var registration = ct.Register(command.Cancel);
        using var reader = command.ExecuteReader();
        var columns = Enumerable.Range(0, reader.FieldCount).Select(i => new PreviewColumn(reader.GetName(i), reader.GetDataTypeName(i))).ToList();
        var rows = new List<object?[]>();
        while (reader.Read())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            rows.Add(row);
        }

        return (columns, rows);
    }

}
