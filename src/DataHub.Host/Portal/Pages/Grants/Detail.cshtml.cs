using System.Globalization;
using DataHub.Exchange.Delivery;
using DataHub.Exchange.Identity;
using DataHub.Exchange.Requests;
using DataHub.Host.Api;
using DataHub.Host.Platform;
using Microsoft.AspNetCore.Mvc;

namespace DataHub.Host.Portal.Pages.Grants;

/// <summary>
/// One grant: its terms and deliveries; the grantee's analysts query it here (the same checks, masks, row filter and
/// audit as <c>POST /api/v1/exchange/grants/{id}/query</c>) and download exports.
/// </summary>
public sealed class DetailModel(DataHubPlatform platform) : PortalPage(platform)
{
    /// <summary>Rows per page.</summary>
    public const int PageSize = 20;

    /// <summary>The grant.</summary>
    public GrantRecord Grant { get; private set; } = null!;

    /// <summary>The page of data, after a query.</summary>
    public GrantPage? Data { get; private set; }

    /// <summary>Why the query was refused.</summary>
    public IReadOnlyList<string> Problems { get; private set; } = [];

    /// <summary>The deliveries so far.</summary>
    public IReadOnlyList<DeliveryRecord> Deliveries { get; private set; } = [];

    /// <summary>The offset queried.</summary>
    public long Offset { get; private set; }

    /// <summary>The columns chosen.</summary>
    public IReadOnlyList<string> Chosen { get; private set; } = [];

    /// <summary>Whether the user may query (an analyst of the grantee).</summary>
    public bool MayQuery => Has(ExchangeRoles.Analyst) && Actor.Department == Grant.Department;

    /// <summary>Shows the grant; with <c>run=1</c>, queries it (a GET, so a result page is a shareable address).</summary>
    public async Task<IActionResult> OnGetAsync(long id, int? run, long? offset, [FromQuery(Name = "col")] List<string>? col, CancellationToken ct)
    {
        if (await Platform.Exchange.Grants.GetAsync(id, ct) is not { } grant || !ExchangeRequestsApi.MaySee(Actor, grant, Platform))
        {
            return NotFound();
        }

        Grant = grant;
        Chosen = col is { Count: > 0 } ? col : grant.Columns;
        Offset = offset is > 0 ? offset.Value : 0;
        if (run == 1)
        {
            try
            {
                Data = await Platform.Exchange.Delivery.QueryAsync(Actor, id, new GrantQuery(Chosen, [], Offset, PageSize), ct);
            }
            catch (ExchangeRefusedException e)
            {
                Problems = e.Problems;
                Response.StatusCode = ExchangeProblems.StatusOf(e.Kind).Status;
            }
        }

        Deliveries = await Platform.Exchange.Delivery.ListDeliveriesAsync(id, ct);
        return Page();
    }

    /// <summary>The address of another page of the same query.</summary>
    public string PageUrl(long offset) =>
        string.Create(CultureInfo.InvariantCulture, $"/grants/{Grant.Id}?run=1&offset={offset}") + string.Concat(Chosen.Select(c => "&col=" + Uri.EscapeDataString(c)));
}
