using System.Globalization;
using DataHub.Catalog;
using DataHub.Host.Platform;
using Microsoft.Extensions.Logging;

namespace DataHub.Host.Cli;

/// <summary><c>datahub catalog apply|search|coverage</c>: catalog as code and catalog browsing from the command line.</summary>
internal static class CatalogVerb
{
    /// <summary>How many changed rows of one kind are listed one by one before the rest is summarised.</summary>
    private const int ListedPerKind = 25;

    private static readonly string[] Kinds = ["department", "grade", "code_set", "code_value", "element", "node", "dataset", "column"];

    public const string Help = """
        datahub catalog apply [--dry-run]
        datahub catalog search <query> [--limit <n>]
        datahub catalog coverage [--limit <n>]

        apply     Reads catalog/ (architecture, elements, code sets, grades, departments, datasets), checks every file
                  and reports ALL problems as file:line: field: problem; then shows what is added (+), changed (~)
                  and removed (-) per kind and applies it in one transaction. A second apply reports no changes.
                  --dry-run  show the difference and change nothing
        search    Finds L1–L5 nodes, data elements and datasets containing the query (Chinese or English), ranked
                  exact name, prefix, contains; attributes holding data first. --limit (default 20, at most 200)
        coverage  Columns mapped to L5 attributes, unmapped columns, attributes without data (--limit listed, default 20)
        """;

    public static async Task<int> RunAsync(CommandLine options, DataHubSettings settings, ILoggerFactory loggers, TextWriter output, CancellationToken ct)
    {
        var action = options.Positional.Count > 0 ? options.Positional[0] : null;
        switch (action)
        {
            case "apply":
                return await ApplyAsync(options.Has("dry-run"), settings, loggers, output, ct);
            case "search" when options.Positional.Count > 1:
                return await SearchAsync(string.Join(' ', options.Positional.Skip(1)), options.PositiveNumber("limit", 20), settings, loggers, output, ct);
            case "coverage":
                return await CoverageAsync(options.PositiveNumber("limit", 20), settings, loggers, output, ct);
            default:
                await output.WriteLineAsync($"datahub catalog: choose apply, search <query> or coverage\n\n{Help}");
                return 2;
        }
    }

    private static async Task<int> ApplyAsync(bool dryRun, DataHubSettings settings, ILoggerFactory loggers, TextWriter output, CancellationToken ct)
    {
        var directory = Path.Combine(settings.Root, "catalog");
        CatalogDefinitions definitions;
        try
        {
            definitions = CatalogDefinitions.Load(directory);
        }
        catch (CatalogDefinitionException e)
        {
            await output.WriteLineAsync($"datahub catalog apply: {directory} has {e.Problems.Count} problem(s); nothing was applied.");
            foreach (var problem in e.Problems)
            {
                await output.WriteLineAsync("  " + problem.Message);
            }

            return 1;
        }

        await using var platform = await DataHubPlatform.StartAsync(settings, loggers, applyCatalog: false, ct);
        var result = await CatalogLoader.ApplyAsync(platform.DataSource, definitions, dryRun, null, ct);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"{directory}: {definitions.Nodes.Count} nodes ({definitions.Nodes.Count(n => n.Level == 5)} L5 attributes), {definitions.Elements.Count} data elements, {definitions.CodeSets.Count} code sets, {definitions.Datasets.Count} datasets"));
        foreach (var kind in Kinds)
        {
            var changes = result.Changes.Where(c => c.Kind == kind).ToList();
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"  {kind,-11} +{changes.Count(c => c.Action == CatalogChangeAction.Added),-5} ~{changes.Count(c => c.Action == CatalogChangeAction.Changed),-5} -{changes.Count(c => c.Action == CatalogChangeAction.Removed)}"));
            foreach (var change in changes.Take(ListedPerKind))
            {
                var sign = change.Action switch { CatalogChangeAction.Added => '+', CatalogChangeAction.Changed => '~', _ => '-' };
                await output.WriteLineAsync($"      {sign} {change.Key}");
            }

            if (changes.Count > ListedPerKind)
            {
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"      … and {changes.Count - ListedPerKind} more"));
            }
        }

        await output.WriteLineAsync(result.Total == 0
            ? "No changes: the catalog database matches the files."
            : dryRun
                ? string.Create(CultureInfo.InvariantCulture, $"Dry run: {result.Total} change(s) would be applied; nothing was written.")
                : string.Create(CultureInfo.InvariantCulture, $"Applied {result.Total} change(s) in one transaction."));
        return 0;
    }

    private static async Task<int> SearchAsync(string query, int limit, DataHubSettings settings, ILoggerFactory loggers, TextWriter output, CancellationToken ct)
    {
        await using var platform = await DataHubPlatform.StartAsync(settings, loggers, ct);
        var hits = await platform.Catalog.SearchAsync(query, Math.Min(limit, CatalogStore.MaxSearchResults), ct);
        foreach (var hit in hits)
        {
            var where = hit.Path is null ? hit.Kind : $"{hit.Kind} L{hit.Level} · {hit.Path}";
            await output.WriteLineAsync($"{hit.Match,-6} {(hit.HasData ? "data" : "    ")}  {hit.Name}  {hit.Code}  ({where})");
        }

        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{hits.Count} result(s) for '{query}'."));
        return 0;
    }

    private static async Task<int> CoverageAsync(int limit, DataHubSettings settings, ILoggerFactory loggers, TextWriter output, CancellationToken ct)
    {
        await using var platform = await DataHubPlatform.StartAsync(settings, loggers, ct);
        var report = await platform.Catalog.GetCoverageAsync(Math.Min(limit, 10_000), ct);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"columns     {report.MappedColumns} of {report.Columns} mapped to L5 attributes ({report.ColumnCoverage:P1})"));
        foreach (var column in report.UnmappedColumns)
        {
            await output.WriteLineAsync($"  unmapped  {column}");
        }

        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"attributes  {report.AttributesWithData} of {report.Attributes} L5 attributes hold data ({report.AttributeCoverage:P1})"));
        foreach (var attribute in report.AttributesWithoutData)
        {
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"  no data   {attribute.Code}  {attribute.Name}{(attribute.MappedColumns > 0 ? $"  (mapped by {attribute.MappedColumns} column(s))" : string.Empty)}"));
        }

        return 0;
    }
}
