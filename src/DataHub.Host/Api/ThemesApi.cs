using DataHub.Exchange.Identity;
using DataHub.Host.Platform;
using DataHub.Lake.Tables;
using DataHub.Themes.Fusion;

namespace DataHub.Host.Api;

/// <summary>
/// <c>GET /api/v1/themes</c> (the theme definitions and their tables' records — metadata, open like the catalog) and
/// <c>POST /api/v1/themes/{name}/builds[?full=true]</c> (bureau_admin: build now, incrementally unless asked).
/// </summary>
public static class ThemesApi
{
    /// <summary>Maps the endpoints.</summary>
    public static IEndpointRouteBuilder MapThemesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/themes").WithTags("Themes");
        group.MapGet("/", ListAsync).WithName("ListThemes")
            .WithSummary("The theme databases of catalog/themes/: table, key, sources, fields with their rule and priority, records built.");
        group.MapPost("/{name}/builds", BuildAsync).WithName("BuildTheme").RequireAuthorization(ExchangeRoles.BureauAdmin)
            .WithSummary("Builds a theme now from its sources' current snapshots (incremental from their change feeds; ?full=true rebuilds). bureau_admin.");
        return app;
    }

    private static async Task<IResult> ListAsync(DataHubPlatform platform, CancellationToken ct)
    {
        var themes = new List<object>();
        foreach (var theme in platform.Themes.Definitions)
        {
            long? records = await platform.Tables.ExistsAsync(theme.Table, ct) ? (await platform.Tables.ScanAsync(theme.Table, LakeVersion.Current, ct)).RowCount : null;
            themes.Add(new
            {
                theme.Name, theme.Title, theme.Table, theme.ConflictsTable, theme.KeyField, KeyKind = theme.KeyKind.ToString(),
                Sources = theme.Sources.Select(s => new { s.Id, s.Dataset, s.KeyColumn, Keys = s.Roles.Select(r => r.KeyColumn), s.ObservedAt, s.OldNumbersFrom }),
                HistoryTable = theme.History?.Table,
                Fields = theme.Fields.Select(f => new { f.Name, f.Type, Pick = f.Pick.ToString().ToLowerInvariant(), f.Priority, f.Conflicts }),
                Records = records,
            });
        }

        return TypedResults.Ok(themes);
    }

    private static async Task<IResult> BuildAsync(string name, DataHubPlatform platform, CancellationToken ct, bool full = false)
    {
        if (platform.Themes.Find(name) is not { } theme)
        {
            return TypedResults.Problem($"There is no theme '{name}'.", statusCode: StatusCodes.Status404NotFound, title: "Unknown theme");
        }

        ThemeBuildResult result = await platform.Themes.BuildAsync(theme, "api", full, ct);
        return TypedResults.Ok(result);
    }
}
