using System.Globalization;
using DataHub.Catalog;
using DataHub.Host.Platform;

namespace DataHub.Host.Portal.Pages;

/// <summary>The L1–L5 architecture, one node and its children at a time, each with its attribute coverage.</summary>
public sealed class TreeModel(DataHubPlatform platform) : PortalPage(platform)
{
    private IReadOnlyDictionary<string, (int Attributes, int WithData)> _coverage = new Dictionary<string, (int, int)>();

    /// <summary>The node asked for.</summary>
    public string? Node { get; private set; }

    /// <summary>Whether it does not exist.</summary>
    public bool Missing { get; private set; }

    /// <summary>The node shown, or null at the top.</summary>
    public CatalogTreeNode? Current { get; private set; }

    /// <summary>Its children (the L1 groups at the top).</summary>
    public IReadOnlyList<CatalogTreeNode> Children { get; private set; } = [];

    /// <summary>The path from L1 down to the node's parent.</summary>
    public IReadOnlyList<SubjectNodeDefinition> Ancestors { get; private set; } = [];

    /// <summary>The datasets mapped to an L4 node.</summary>
    public IReadOnlyList<DatasetDefinition> Datasets { get; private set; } = [];

    /// <summary>Reads the node.</summary>
    public async Task OnGetAsync(string? node, CancellationToken ct)
    {
        Node = string.IsNullOrWhiteSpace(node) ? null : node.Trim();
        if (Node is null)
        {
            Children = await Platform.Catalog.GetTreeAsync(null, 1, ct) ?? [];
        }
        else if (Node.Length > 300 || await Platform.Catalog.GetTreeAsync(Node, 2, ct) is not [var found])
        {
            Missing = true;
            Children = await Platform.Catalog.GetTreeAsync(null, 1, ct) ?? [];
        }
        else
        {
            Current = found;
            Children = found.Children;
            var byCode = Platform.Definitions.Nodes.ToDictionary(n => n.Code, StringComparer.Ordinal);
            var path = new List<SubjectNodeDefinition>();
            for (var code = byCode.TryGetValue(found.Code, out var self) ? self.ParentCode : null; code is not null && byCode.TryGetValue(code, out var up); code = up.ParentCode)
            {
                path.Insert(0, up);
            }

            Ancestors = path;
            Datasets = [.. Platform.Definitions.Datasets.Where(d => d.L4NodeCode == found.Code)];
        }

        var codes = Children.Select(c => c.Code).Take(499).ToList();
        if (Current is not null)
        {
            codes.Add(Current.Code);
        }

        _coverage = await Platform.Catalog.GetNodeCoverageAsync(codes, ct);
    }

    /// <summary>A coverage bar for a node: attributes with data of all attributes beneath it.</summary>
    public string Bar(string code)
    {
        var (all, filled) = _coverage.TryGetValue(code, out var c) ? c : (0, 0);
        var share = all == 0 ? 0 : (double)filled / all;
        var label = string.Create(CultureInfo.InvariantCulture, $"{filled:N0}/{all:N0} ({share:P0})");
        return string.Create(CultureInfo.InvariantCulture,
            $"<span class=\"bar\" role=\"img\" aria-label=\"{label}\"><span style=\"width:{share * 100:F0}%\"></span></span> <span class=\"small\">{label}</span>");
    }
}
