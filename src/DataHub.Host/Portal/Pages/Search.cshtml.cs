using DataHub.Catalog;
using DataHub.Host.Platform;

namespace DataHub.Host.Portal.Pages;

/// <summary>
/// Catalog search with filters: subject-area group (L1), subject area (L2), providing department, grade and share
/// type. Results update as one types (htmx swaps the result list and puts the query in the address bar).
/// </summary>
public sealed class SearchModel(DataHubPlatform platform) : PortalPage(platform)
{
    /// <summary>The query.</summary>
    public string? Q { get; private set; }

    /// <summary>Only this L1 group.</summary>
    public string? L1 { get; private set; }

    /// <summary>Only this L2 area.</summary>
    public string? L2 { get; private set; }

    /// <summary>Only datasets of this provider.</summary>
    public string? Dept { get; private set; }

    /// <summary>Only datasets of this sensitivity level.</summary>
    public int? Grade { get; private set; }

    /// <summary>Only datasets of this share type.</summary>
    public string? Share { get; private set; }

    /// <summary>The results, or null without a query.</summary>
    public IReadOnlyList<CatalogSearchHit>? Hits { get; private set; }

    /// <summary>Why the query was refused.</summary>
    public string? Error { get; private set; }

    /// <summary>The L1 nodes for the filter.</summary>
    public IEnumerable<SubjectNodeDefinition> L1Nodes => Platform.Definitions.Nodes.Where(n => n.Level == 1);

    /// <summary>The L2 nodes for the filter (of the chosen L1 when one is chosen).</summary>
    public IEnumerable<SubjectNodeDefinition> L2Nodes => Platform.Definitions.Nodes.Where(n => n.Level == 2 && (L1 is null || n.Code.StartsWith(Suffix(L1) + ".", StringComparison.Ordinal)));

    /// <summary>The departments for the filter.</summary>
    public IReadOnlyList<DepartmentDefinition> Departments => Platform.Definitions.Departments;

    /// <summary>Searches.</summary>
    public async Task OnGetAsync(string? q, string? l1, string? l2, string? dept, int? grade, string? share, CancellationToken ct)
    {
        Q = q?.Trim();
        L1 = string.IsNullOrEmpty(l1) ? null : l1;
        L2 = string.IsNullOrEmpty(l2) ? null : l2;
        Dept = string.IsNullOrEmpty(dept) ? null : dept;
        Grade = grade is >= 1 and <= 4 ? grade : null;
        Share = string.IsNullOrEmpty(share) ? null : share;
        if (string.IsNullOrEmpty(Q))
        {
            return;
        }

        if (Q.Length > CatalogStore.MaxQueryLength)
        {
            Error = $"≤ {CatalogStore.MaxQueryLength}";
            return;
        }

        var datasetOnly = Dept is not null || Grade is not null || Share is not null;
        var hits = await Platform.Catalog.SearchAsync(Q, CatalogStore.MaxSearchResults, ct);
        Hits = [.. hits.Where(h => Keep(h, datasetOnly)).Take(50)];
    }

    /// <summary>Where a hit leads.</summary>
    public string Link(CatalogSearchHit hit) => hit.Kind switch
    {
        "dataset" => "/datasets/" + hit.Code,
        "element" => "/search?q=" + Uri.EscapeDataString(hit.Code),
        _ => "/tree?node=" + Uri.EscapeDataString(hit.Code),
    };

    /// <summary>A hit kind's label.</summary>
    public string KindLabel(string kind) => T[kind switch
    {
        "dataset" => "数据集",
        "element" => "数据元",
        _ => "节点",
    }];

    private bool Keep(CatalogSearchHit hit, bool datasetOnly)
    {
        string? code;
        if (hit.Kind == "dataset")
        {
            if (!Platform.Definitions.TryGetDataset(hit.Code, out var dataset)
                || (Dept is not null && dataset.ProviderCode != Dept)
                || (Grade is not null && dataset.Sensitivity != Grade)
                || (Share is not null && dataset.ShareType != Share))
            {
                return false;
            }

            code = dataset.L4NodeCode;
        }
        else if (datasetOnly || hit.Kind == "element")
        {
            return !datasetOnly && L1 is null && L2 is null;
        }
        else
        {
            code = hit.Code;
        }

        var path = code is null ? null : Suffix(code);
        return (L1 is null || (path is not null && (path + ".").StartsWith(Suffix(L1) + ".", StringComparison.Ordinal)))
            && (L2 is null || (path is not null && (path + ".").StartsWith(Suffix(L2) + ".", StringComparison.Ordinal)));
    }

    /// <summary>A node code without its level prefix: <c>L4.utility.water.x</c> → <c>utility.water.x</c>.</summary>
    private static string Suffix(string code) => code.IndexOf('.', StringComparison.Ordinal) is var dot and > 0 ? code[(dot + 1)..] : code;
}
