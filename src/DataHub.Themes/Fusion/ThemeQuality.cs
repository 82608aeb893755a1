using DataHub.Catalog;
using DataHub.Quality.Execution;
using DataHub.Quality.Service;
using DataHub.Themes.Definitions;

namespace DataHub.Themes.Fusion;

/// <summary>
/// The theme tables in the quality results: a theme table is described like a dataset (its definition comes from
/// <c>catalog/themes</c>, not <c>catalog/datasets</c>) so the rules of <c>catalog/rules</c> attached to it — unique
/// keys, check characters, and <c>source_conflicts</c> reading its conflicts table (多源比对) — run after each build and
/// are stored, scored and published in the monthly bulletin like any dataset's.
/// </summary>
public static class ThemeQuality
{
    /// <summary>The department that owns the theme databases: the data resources bureau.</summary>
    public const string Provider = "bureau";

    /// <summary>The theme table described as a dataset: its columns, owned by the bureau, graded like its most sensitive source.</summary>
    /// <param name="theme">The theme.</param>
    /// <param name="catalog">The catalog holding its sources.</param>
    public static DatasetDefinition Describe(ThemeDefinition theme, CatalogDefinitions catalog)
    {
        ArgumentNullException.ThrowIfNull(theme);
        ArgumentNullException.ThrowIfNull(catalog);
        var sources = theme.Sources.Select(s => catalog.TryGetDataset(s.Dataset, out var d) ? d : null).OfType<DatasetDefinition>().ToList();
        var links = theme.Fields.SelectMany(f => f.LinkColumns).Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        var columns = ThemeBuilder.Columns(theme).Select((c, i) => new DatasetColumnDefinition(i + 1, c.Name, c.Type, null, null,
            c.Name == theme.KeyField ? "主键" : c.Name.EndsWith("__source", StringComparison.Ordinal) ? "取值来源" : c.Name.EndsWith("__snapshot", StringComparison.Ordinal) ? "来源快照"
            : links.Contains(c.Name) ? "标准地址关联" : null)).ToList();
        return new DatasetDefinition(theme.Table, theme.Title, null, Provider,
            $"由 {string.Join("、", theme.Sources.Select(s => s.Dataset).Distinct(StringComparer.Ordinal))} 融合而成的主题库（{theme.SourceFile}）。",
            "daily", "conditional", "按主题库共享规则", null,
            sources.Count == 0 ? 4 : sources.Max(s => s.Sensitivity), "core", null, columns, theme.SourceFile);
    }

    /// <summary>Runs the theme table's rules after a build when any reach it; null when none do.</summary>
    /// <param name="quality">The quality service.</param>
    /// <param name="theme">The theme.</param>
    /// <param name="catalog">The catalog.</param>
    /// <param name="ct">Cancels.</param>
    public static async Task<ThemeQualityReport?> RunAsync(QualityService quality, ThemeDefinition theme, CatalogDefinitions catalog, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(quality);
        var dataset = Describe(theme, catalog);
        (QualityRunRecord Run, QualityRunResult Result) run;
        try
        {
            run = await quality.RunAsync(dataset, ct);
        }
        catch (KeyNotFoundException e) when (e.Message.StartsWith("No quality rule", StringComparison.Ordinal))
        {
            return null;
        }

        return new ThemeQualityReport(run.Run.Id, run.Run.Scores,
            run.Result.Rules.Select(r => new ThemeQualityFinding(r.Rule.Id, r.Rule.Dimension.ToString().ToLowerInvariant(), r.Checked, r.Failed, r.Outcome.ToString().ToLowerInvariant(), r.Detail)).ToList());
    }
}

/// <summary>The quality run after a theme build.</summary>
/// <param name="RunId">The stored run (<c>GET /api/v1/quality/runs/{id}</c>).</param>
/// <param name="Scores">Its scores per dimension and overall.</param>
/// <param name="Rules">Each rule's result.</param>
public sealed record ThemeQualityReport(long RunId, IReadOnlyDictionary<string, double> Scores, IReadOnlyList<ThemeQualityFinding> Rules);

/// <summary>One rule's result on a theme table.</summary>
/// <param name="RuleId">The rule.</param>
/// <param name="Dimension">Its dimension (consistency for the sources' conflicts).</param>
/// <param name="Checked">Rows checked.</param>
/// <param name="Failed">Rows failing.</param>
/// <param name="Outcome">pass, warn or fail.</param>
/// <param name="Detail">What was found, or null.</param>
public sealed record ThemeQualityFinding(string RuleId, string Dimension, long Checked, long Failed, string Outcome, string? Detail);
