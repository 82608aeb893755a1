using DataHub.Host.Platform;
using DataHub.Quality.Service;

namespace DataHub.Host.Portal.Pages.Quality;

/// <summary>Quality: the monthly bulletins, the department ranking and each dataset's latest scores with its failing rules.</summary>
public sealed class IndexModel(DataHubPlatform platform) : PortalPage(platform)
{
    /// <summary>The ranking.</summary>
    public IReadOnlyList<DepartmentScore> Ranking { get; private set; } = [];

    /// <summary>Each checked dataset's newest run.</summary>
    public IReadOnlyList<QualityRunRecord> Latest { get; private set; } = [];

    /// <summary>The months offered as bulletins (this one and the five before).</summary>
    public IReadOnlyList<(int Year, int Month)> Months { get; private set; } = [];

    /// <summary>Reads the page.</summary>
    public async Task OnGetAsync(CancellationToken ct)
    {
        Ranking = await Quality.DepartmentScoresAsync(null, ct);
        var latest = new List<QualityRunRecord>();
        foreach (var dataset in await Quality.CheckableDatasetsAsync(ct))
        {
            if (await Quality.HistoryAsync(dataset, 1, ct) is [var run])
            {
                latest.Add(run);
            }
        }

        Latest = [.. latest.OrderBy(r => r.Scores.TryGetValue(QualityScores.Overall, out var o) ? o : 100)];
        var today = Today;
        Months = [.. Enumerable.Range(0, 6).Select(i => today.AddMonths(-i)).Select(d => (d.Year, d.Month))];
    }
}
