using System.Globalization;
using DataHub.Exchange.Demands;
using DataHub.Exchange.Requests;
using DataHub.Host.Platform;
using Microsoft.AspNetCore.Mvc;

namespace DataHub.Host.Portal.Pages;

/// <summary>
/// The data-demand list (数据供需对接): needs for data not catalogued yet, posted by departments, assigned by the
/// bureau to a provider and tracked to fulfilment. Posting uses the same checks as the API; problems show by field.
/// </summary>
public sealed class DemandsModel(DataHubPlatform platform) : PortalPage(platform)
{
    /// <summary>The demands the user may see.</summary>
    public IReadOnlyList<Demand> Demands { get; private set; } = [];

    /// <summary>The status filter.</summary>
    public string? Status { get; private set; }

    /// <summary>Form values.</summary>
    [BindProperty] public string? Title { get; set; }

    /// <summary>Form values.</summary>
    [BindProperty] public string? Description { get; set; }

    /// <summary>Wanted fields, comma-separated.</summary>
    [BindProperty] public string? WantedFields { get; set; }

    /// <summary>Form values.</summary>
    [BindProperty] public string? Purpose { get; set; }

    /// <summary>Form values.</summary>
    [BindProperty] public string? LegalBasis { get; set; }

    /// <summary>Problems by field.</summary>
    public Dictionary<string, List<string>> Problems { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The problems of one field.</summary>
    public IReadOnlyList<string> ProblemsOf(string field) => Problems.TryGetValue(field, out var list) ? list : [];

    /// <summary>Lists.</summary>
    public async Task OnGetAsync(string? status, CancellationToken ct) => await LoadAsync(status, ct);

    /// <summary>Posts a demand.</summary>
    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var draft = new DemandDraft(Title ?? string.Empty, Description ?? string.Empty,
            [.. (WantedFields ?? string.Empty).Split([',', '，', '、'], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)],
            Purpose ?? string.Empty, LegalBasis ?? string.Empty);
        try
        {
            var demand = await new DemandService(Platform.DataSource).PostAsync(Actor, draft, ct);
            return Redirect(string.Create(CultureInfo.InvariantCulture, $"/demands#demand-{demand.Id}"));
        }
        catch (ExchangeRefusedException e)
        {
            foreach (var problem in e.Problems)
            {
                var colon = problem.IndexOf(": ", StringComparison.Ordinal);
                var field = colon > 0 ? problem[..colon].Split('[')[0] : string.Empty;
                if (!Problems.TryGetValue(field, out var list))
                {
                    Problems[field] = list = [];
                }

                list.Add(colon > 0 ? problem[(colon + 2)..] : problem);
            }

            Response.StatusCode = Api.ExchangeProblems.StatusOf(e.Kind).Status;
            await LoadAsync(null, ct);
            return Page();
        }
    }

    private async Task LoadAsync(string? status, CancellationToken ct)
    {
        Status = string.IsNullOrEmpty(status) ? null : status;
        Demands = await new DemandService(Platform.DataSource).ListAsync(Actor, new DemandFilter(Status), ct);
    }
}
