using System.Globalization;
using DataHub.Exchange.Delivery;
using DataHub.Exchange.Requests;
using DataHub.Host.Api;
using DataHub.Host.Platform;
using Microsoft.AspNetCore.Mvc;

namespace DataHub.Host.Portal.Pages.Grants;

/// <summary>Grants the user may see — active, expiring within 14 days, expired, revoked — and revocation.</summary>
public sealed class IndexModel(DataHubPlatform platform) : PortalPage(platform)
{
    /// <summary>Grants expiring within this many days are flagged.</summary>
    public const int ExpiringDays = 14;

    /// <summary>The grants.</summary>
    public IReadOnlyList<GrantRecord> Grants { get; private set; } = [];

    /// <summary>Problems of the last revocation.</summary>
    public IReadOnlyList<string> Problems { get; private set; } = [];

    /// <summary>A grant's state.</summary>
    public string State(GrantRecord g) =>
        g.RevokedAt is not null ? "revoked" : g.ValidUntil < Today ? "expired" : g.ValidUntil <= Today.AddDays(ExpiringDays) ? "expiring" : "active";

    /// <summary>A state's label.</summary>
    public string StateLabel(string state) => T[state switch { "revoked" => "已撤销", "expired" => "已过期", "expiring" => "即将到期", _ => "有效" }];

    /// <summary>Whether the user may revoke a grant (the provider's approver or the bureau).</summary>
    public bool MayRevoke(GrantRecord g) => g.RevokedAt is null && (IsAdmin
        || (Has("approver") && Platform.Definitions.TryGetDataset(g.Dataset, out var d) && d.ProviderCode == Actor.Department));

    /// <summary>Lists.</summary>
    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    /// <summary>Revokes a grant with reasons.</summary>
    public async Task<IActionResult> OnPostRevokeAsync(long id, string? reason, CancellationToken ct)
    {
        try
        {
            await Platform.Exchange.Requests.RevokeGrantAsync(Actor, id, reason ?? string.Empty, ct);
            return Redirect(string.Create(CultureInfo.InvariantCulture, $"/grants/{id}"));
        }
        catch (ExchangeRefusedException e)
        {
            Problems = e.Problems;
            Response.StatusCode = Api.ExchangeProblems.StatusOf(e.Kind).Status;
            await LoadAsync(ct);
            return Page();
        }
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        var actor = Actor;
        Grants = [.. (await Platform.Exchange.Grants.ListAsync(null, ct)).Where(g => ExchangeRequestsApi.MaySee(actor, g, Platform)).OrderByDescending(g => g.Id)];
    }
}
