using DataHub.Exchange.Requests;
using DataHub.Host.Platform;

namespace DataHub.Host.Portal.Pages.Requests;

/// <summary>The requests the user may see: filed by their department, and addressed to it (all for the bureau).</summary>
public sealed class IndexModel(DataHubPlatform platform) : PortalPage(platform)
{
    /// <summary>The status filter.</summary>
    public string? Status { get; private set; }

    /// <summary>Filed by the user's department.</summary>
    public IReadOnlyList<ExchangeRequestView> Mine { get; private set; } = [];

    /// <summary>The others the user may see.</summary>
    public IReadOnlyList<ExchangeRequestView> ToUs { get; private set; } = [];

    /// <summary>Reads the lists.</summary>
    public async Task OnGetAsync(string? status, CancellationToken ct)
    {
        Status = string.IsNullOrEmpty(status) ? null : status;
        var all = await Platform.Exchange.Requests.ListRequestsAsync(Actor, Status, ct);
        Mine = [.. all.Where(r => r.RequestingDepartment == Actor.Department)];
        ToUs = [.. all.Where(r => r.RequestingDepartment != Actor.Department)];
    }
}
