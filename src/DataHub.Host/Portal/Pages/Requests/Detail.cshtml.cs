using System.Globalization;
using DataHub.Exchange.Identity;
using DataHub.Exchange.Requests;
using DataHub.Host.Platform;
using Microsoft.AspNetCore.Mvc;

namespace DataHub.Host.Portal.Pages.Requests;

/// <summary>One request: what was asked, its decisions and SLA; the approver decides here, the requester withdraws.</summary>
public sealed class DetailModel(DataHubPlatform platform) : PortalPage(platform)
{
    /// <summary>The request.</summary>
    public ExchangeRequestView Item { get; private set; } = null!;

    /// <summary>Problems of the last action.</summary>
    public IReadOnlyList<string> Problems { get; private set; } = [];

    /// <summary>A message after filing.</summary>
    public bool JustFiled { get; private set; }

    /// <summary>The reason typed (kept when the decision is refused).</summary>
    public string? Reason { get; private set; }

    /// <summary>Whether the user may decide now (and at which stage).</summary>
    public string? DecisionStage => AwaitingMe([Item]).Count == 0 ? null : Item.Status == ExchangeStatus.ApprovedByProvider ? "bureau" : "provider";

    /// <summary>Whether the user may withdraw it.</summary>
    public bool MayWithdraw => Has(ExchangeRoles.Requester) && Item.RequestingDepartment == Actor.Department
        && Item.Status is ExchangeStatus.Filed or ExchangeStatus.Escalated or ExchangeStatus.ApprovedByProvider;

    /// <summary>Shows the request.</summary>
    public async Task<IActionResult> OnGetAsync(long id, int? filed, CancellationToken ct)
    {
        JustFiled = filed == 1;
        return await LoadAsync(id, ct) ? Page() : NotFound();
    }

    /// <summary>Approves or rejects.</summary>
    public async Task<IActionResult> OnPostDecideAsync(long id, string? decision, string? reason, List<string>? plain, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct))
        {
            return NotFound();
        }

        Reason = reason;
        if (decision is not ("approve" or "reject"))
        {
            Problems = ["decision: approve or reject"];
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        try
        {
            await Platform.Exchange.Requests.DecideAsync(Actor, id, decision == "approve", reason ?? string.Empty, plain ?? [], ct);
            return Redirect(string.Create(CultureInfo.InvariantCulture, $"/requests/{id}"));
        }
        catch (ExchangeRefusedException e)
        {
            Problems = e.Problems;
            Response.StatusCode = Api.ExchangeProblems.StatusOf(e.Kind).Status;
            return Page();
        }
    }

    /// <summary>Withdraws.</summary>
    public async Task<IActionResult> OnPostWithdrawAsync(long id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct))
        {
            return NotFound();
        }

        try
        {
            await Platform.Exchange.Requests.WithdrawAsync(Actor, id, ct);
            return Redirect(string.Create(CultureInfo.InvariantCulture, $"/requests/{id}"));
        }
        catch (ExchangeRefusedException e)
        {
            Problems = e.Problems;
            Response.StatusCode = Api.ExchangeProblems.StatusOf(e.Kind).Status;
            return Page();
        }
    }

    private async Task<bool> LoadAsync(long id, CancellationToken ct)
    {
        if (await Platform.Exchange.Requests.GetRequestAsync(Actor, id, ct) is not { } request)
        {
            return false;
        }

        Item = request;
        return true;
    }
}
