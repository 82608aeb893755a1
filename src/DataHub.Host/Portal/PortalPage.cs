using System.Security.Claims;
using DataHub.Exchange.Identity;
using DataHub.Exchange.Requests;
using DataHub.Host.Auth;
using DataHub.Host.Platform;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace DataHub.Host.Portal;

/// <summary>What every portal page has: the platform, the page's language and the signed-in actor.</summary>
public abstract class PortalPage(DataHubPlatform platform) : PageModel
{
    private PortalText? _text;

    /// <summary>The platform.</summary>
    protected DataHubPlatform Platform { get; } = platform;

    /// <summary>The quality service (one per server: the rules are read once).</summary>
    protected DataHub.Quality.Service.QualityService Quality => HttpContext.RequestServices.GetRequiredService<DataHub.Quality.Service.QualityService>();

    /// <summary>The page's text.</summary>
    public PortalText T => _text ??= PortalText.For(HttpContext);

    /// <summary>The signed-in actor (pages other than sign-in require one).</summary>
    public ExchangeActor Actor => ExchangeActors.From(User);

    /// <summary>Whether someone is signed in.</summary>
    public bool SignedIn => User.FindFirstValue(ApiKeyClaims.Department) is not null;

    /// <summary>Whether the signed-in user holds a role.</summary>
    public bool Has(string role) => User.IsInRole(role);

    /// <summary>Whether the user is the data bureau's administrator.</summary>
    public bool IsAdmin => Has(ExchangeRoles.BureauAdmin);

    /// <summary>The requests that wait for the actor's decision: the provider's approvers decide first (also when
    /// escalated), a bureau_admin gives the second approval of level-3 data.</summary>
    public IReadOnlyList<ExchangeRequestView> AwaitingMe(IEnumerable<ExchangeRequestView> requests)
    {
        ArgumentNullException.ThrowIfNull(requests);
        var actor = Actor;
        return [.. requests.Where(r => r.RequestingDepartment != actor.Department && (
            (actor.Roles.Contains(ExchangeRoles.Approver) && r.Provider == actor.Department && r.Status is ExchangeStatus.Filed or ExchangeStatus.Escalated)
            || (actor.Roles.Contains(ExchangeRoles.BureauAdmin) && r.Status is ExchangeStatus.ApprovedByProvider)))];
    }

    /// <summary>Today in Asia/Shanghai, the day SLAs and grant periods count in.</summary>
    public static DateOnly Today => Api.ExchangeRequestsApi.Today();

    /// <summary>Working days from today to a due date (negative when overdue), Saturdays and Sundays skipped.</summary>
    public static int WorkingDaysLeft(DateOnly due)
    {
        var today = Today;
        var sign = due >= today ? 1 : -1;
        var (from, to) = sign > 0 ? (today, due) : (due, today);
        var days = 0;
        for (var d = from; d < to; d = d.AddDays(1))
        {
            if (d.AddDays(1).DayOfWeek is not DayOfWeek.Saturday and not DayOfWeek.Sunday)
            {
                days++;
            }
        }

        return sign * days;
    }

    /// <summary>A department's name from the catalog (the code when unknown).</summary>
    public string DepartmentName(string? code) =>
        code is null ? string.Empty : Platform.Definitions.Departments.FirstOrDefault(d => d.Code == code)?.Name ?? code;
}
