using System.Text.Json;
using DataHub.Catalog;
using DataHub.Catalog.Lineage;
using DataHub.Exchange.Identity;
using DataHub.Exchange.Masking;
using DataHub.Host.Api;
using DataHub.Host.Platform;
using DataHub.Host.Scheduling;
using DataHub.Lake;
using DataHub.Lake.Tables;
using DataHub.Pipelines.Runs;
using DataHub.Quality.Service;
using Microsoft.AspNetCore.Mvc;

namespace DataHub.Host.Portal.Pages;

/// <summary>
/// A dataset: catalogue entry, schema with L5 mapping, grades and masks, snapshots with a time-travel preview,
/// quality (scores, rules, trend), column lineage, pipeline runs, and the way to request access.
/// </summary>
public sealed class DatasetModel(DataHubPlatform platform, PipelineRunner runner) : PortalPage(platform)
{
    /// <summary>The most lineage hops shown before the rest is collapsed behind "more hops".</summary>
    public const int MaxHops = 6;

    /// <summary>Above this many columns in the graph, columns fold into their datasets.</summary>
    public const int MaxGraphColumns = 120;

    /// <summary>The catalogue entry.</summary>
    public DatasetDetail Dataset { get; private set; } = null!;

    /// <summary>Each column's mask for a requester without plain approval (or why it never leaves).</summary>
    public IReadOnlyDictionary<string, string> Masks { get; private set; } = new Dictionary<string, string>();

    /// <summary>Stored quality runs, newest first.</summary>
    public IReadOnlyList<QualityRunRecord> QualityRuns { get; private set; } = [];

    /// <summary>The newest run's rules (samples masked).</summary>
    public IReadOnlyList<QualityRuleRecord> Rules { get; private set; } = [];

    /// <summary>The lineage shown.</summary>
    public LineageGraph? Lineage { get; private set; }

    /// <summary>The lineage direction.</summary>
    public string Direction { get; private set; } = "both";

    /// <summary>The hops shown.</summary>
    public int Hops { get; private set; } = 2;

    /// <summary>The lineage as cytoscape elements (JSON).</summary>
    public string LineageJson { get; private set; } = "[]";

    /// <summary>The trend chart's data (JSON).</summary>
    public string TrendJson { get; private set; } = "{}";

    /// <summary>Pipeline runs writing this dataset.</summary>
    public IReadOnlyList<PipelineRun> Runs { get; private set; } = [];

    /// <summary>The snapshot previewed, when asked.</summary>
    public long? PreviewSnapshot { get; private set; }

    /// <summary>The preview's columns and rows.</summary>
    public (List<PreviewColumn> Columns, List<object?[]> Rows)? Preview { get; private set; }

    /// <summary>Whether the user may preview rows (the provider's approvers and the bureau).</summary>
    public bool MayPreview { get; private set; }

    /// <summary>Reads everything the page shows.</summary>
    public async Task<IActionResult> OnGetAsync(string name, long? snapshot, string? direction, int? hops, CancellationToken ct)
    {
        if (!LakeStorage.IsTableName(name) || await Platform.Catalog.GetDatasetAsync(name, ct) is not { } dataset)
        {
            return NotFound();
        }

        Dataset = dataset;
        var definition = Platform.Definitions.TryGetDataset(name, out var d) ? d : null;
        if (definition is not null)
        {
            var planner = new MaskPlanner(Platform.Definitions, Platform.Exchange.Masks);
            var masks = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var column in definition.Columns)
            {
                try
                {
                    var rule = planner.Plan(definition, [column.Name], new HashSet<string>()).Single().Rule;
                    masks[column.Name] = MaskLabel(rule);
                }
                catch (MaskPlanRefusedException)
                {
                    masks[column.Name] = T.IsEnglishText ? "never leaves (verification only)" : "不出平台（仅核验）";
                }
            }

            Masks = masks;
        }

        MayPreview = IsAdmin || (Has(ExchangeRoles.Approver) && Actor.Department == dataset.ProviderCode);
        if (snapshot is { } id && MayPreview && dataset.Snapshots.Any(s => s.Id == id) && await Platform.Tables.ExistsAsync(name, ct))
        {
            var scan = await Platform.Tables.ScanAsync(name, LakeVersion.Snapshot(id), ct);
            Preview = await Task.Run(() => DatasetsApi.ReadRows(scan.Sql, 20, ct), ct);
            PreviewSnapshot = id;
        }

        QualityRuns = await Quality.HistoryAsync(name, 24, ct);
        if (QualityRuns.Count > 0 && await Quality.GetRunAsync(QualityRuns[0].Id, ct) is { } latest)
        {
            Rules = QualityApi.Masked(Platform, name, latest.Rules);
        }

        var ordered = QualityRuns.Reverse().ToList();
        TrendJson = JsonSerializer.Serialize(new
        {
            kind = "line",
            x = ordered.Select(r => r.StartedAt.ToLocalTime().ToString("MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture)),
            series = ordered.SelectMany(r => r.Scores.Keys).Distinct().Order(StringComparer.Ordinal)
                .Select(k => new { name = k, data = ordered.Select(r => r.Scores.TryGetValue(k, out var v) ? v : (double?)null) }),
        });

        Direction = direction is "up" or "down" ? direction : "both";
        Hops = hops is >= 1 and <= MaxHops ? hops.Value : 2;
        var walk = Direction switch { "up" => LineageDirection.Up, "down" => LineageDirection.Down, _ => LineageDirection.Both };
        Lineage = await Platform.Lineage.Store.GetGraphAsync(name, walk, Hops, ct) ?? new LineageGraph(name, walk, Hops, [], []);
        LineageJson = JsonSerializer.Serialize(GraphElements(Lineage));

        var store = new PipelineRunStore(Platform.DataSource);
        var runs = new List<PipelineRun>();
        foreach (var pipeline in runner.Pipelines.Where(p => p.Target == name))
        {
            runs.AddRange(await store.ListAsync(pipeline.Name, 10, ct));
        }

        Runs = [.. runs.OrderByDescending(r => r.StartedAt).Take(10)];
        return Page();
    }

    /// <summary>Whether the lineage reaches as far as the hops shown, so more may lie beyond.</summary>
    public bool MayHaveMore => Lineage is { } g && (g.Truncated || g.Nodes.Any(n => n.Distance >= Hops));

    private string MaskLabel(MaskRule rule) => rule.Kind switch
    {
        MaskKind.Plain => T["明文"],
        MaskKind.Keep => T.Format("保留前 {0} 后 {1} 位", rule.First, rule.Last),
        MaskKind.Address => T.Format("地址截至{0}", rule.Cut == AddressCut.Township ? T["乡镇街道"] : rule.Cut.ToString().ToLowerInvariant()),
        MaskKind.Hash => T["密钥哈希"],
        _ => T["遮蔽"],
    };

    /// <summary>
    /// Cytoscape elements: a compound node per dataset holding its columns, an edge per column mapping; with more
    /// than <see cref="MaxGraphColumns"/> columns, datasets only, one edge per pair.
    /// </summary>
    private static List<object> GraphElements(LineageGraph graph)
    {
        var elements = new List<object>();
        var datasets = graph.Nodes.Select(n => n.Dataset).Append(graph.Dataset).Distinct(StringComparer.Ordinal).ToList();
        var folded = graph.Nodes.Count > MaxGraphColumns;
        foreach (var ds in datasets)
        {
            elements.Add(new { data = new { id = "d:" + ds, label = ds, kind = ds == graph.Dataset ? "focus" : "dataset", href = ds.Contains(':', StringComparison.Ordinal) ? null : "/datasets/" + ds } });
        }

        if (!folded)
        {
            foreach (var column in graph.Nodes.Select(n => (n.Dataset, n.Field)).Distinct())
            {
                elements.Add(new { data = new { id = "c:" + column.Dataset + "/" + column.Field, label = column.Field, parent = "d:" + column.Dataset, kind = "column" } });
            }
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var edge in graph.Edges)
        {
            var (source, target) = folded
                ? ("d:" + edge.Input.Dataset, "d:" + edge.Output.Dataset)
                : ("c:" + edge.Input.Dataset + "/" + edge.Input.Field, "c:" + edge.Output.Dataset + "/" + edge.Output.Field);
            if (source != target && seen.Add(source + ">" + target))
            {
                elements.Add(new { data = new { id = "e:" + source + ">" + target, source, target, masked = edge.Masked } });
            }
        }

        return elements;
    }
}
