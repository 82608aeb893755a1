using DataHub.Exchange.Requests;
using DataHub.Host.Platform;
using Microsoft.AspNetCore.Authorization;

namespace DataHub.Host.Portal.Pages;

/// <summary>The approver's inbox: requests waiting for the user's decision, with their SLA countdown.</summary>
[Authorize(Roles = "approver,bureau_admin")]
public sealed class InboxModel(DataHubPlatform platform) : PortalPage(platform)
{
    /// <summary>What waits, oldest due first.</summary>
    public IReadOnlyList<ExchangeRequestView> Waiting { get; private set; } = [];

    /// <summary>Reads the inbox.</summary>
    public async Task OnGetAsync(CancellationToken ct) =>
        Waiting = [.. AwaitingMe(await Platform.Exchange.Requests.ListRequestsAsync(Actor, null, ct)).OrderBy(r => r.DueDate ?? DateOnly.MaxValue)];
}
