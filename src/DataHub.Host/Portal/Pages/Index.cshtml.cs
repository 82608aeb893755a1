using DataHub.Catalog;
using DataHub.Exchange.Requests;
using DataHub.Host.Platform;

namespace DataHub.Host.Portal.Pages;

/// <summary>Home: search, counts, recent runs, requests waiting for me.</summary>
public sealed class IndexModel(DataHubPlatform platform) : PortalPage(platform)
{
    /// <summary>Catalogued datasets.</summary>
    public int Datasets { get; private set; }

    /// <summary>Attributes and their coverage.</summary>
    public CoverageReport Coverage { get; private set; } = null!;

    /// <summary>This month's score over all departments (weighted by their datasets), or null before any run.</summary>
    public double? QualityScore { get; private set; }

    /// <summary>The newest ingestion runs.</summary>
    public IReadOnlyList<IngestRun> Runs { get; private set; } = [];

    /// <summary>Requests waiting for the user's decision.</summary>
    public IReadOnlyList<ExchangeRequestView> Waiting { get; private set; } = [];

    /// <summary>Reads the home page's figures.</summary>
    public async Task OnGetAsync(CancellationToken ct)
    {
        Datasets = Platform.Definitions.Datasets.Count;
        Coverage = await Platform.Catalog.GetCoverageAsync(0, ct);
        var scores = await Quality.DepartmentScoresAsync(null, ct);
        var weight = scores.Sum(s => s.Datasets);
        QualityScore = weight == 0 ? null : scores.Sum(s => s.Overall * s.Datasets) / weight;
        Runs = await Platform.Catalog.ListRecentIngestRunsAsync(8, ct);
        Waiting = AwaitingMe(await Platform.Exchange.Requests.ListRequestsAsync(Actor, null, ct));
    }
}
