using System.Globalization;
using DataHub.Catalog;
using DataHub.Exchange.Identity;
using DataHub.Exchange.Requests;
using DataHub.Host.Platform;
using DataHub.Lake;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace DataHub.Host.Portal.Pages.Requests;

/// <summary>
/// Files a request: columns, structured row filter, purpose, legal basis, delivery and period, validated by the same
/// rules as <c>POST /api/v1/exchange/requests</c>; problems show next to their fields.
/// </summary>
[Authorize(Policy = ExchangeRoles.Requester)]
public sealed class NewModel(DataHubPlatform platform) : PortalPage(platform)
{
    /// <summary>Filter rows offered by the form.</summary>
    public const int FilterRows = 3;

    /// <summary>The dataset.</summary>
    public DatasetDetail Dataset { get; private set; } = null!;

    /// <summary>The working days the provider has to decide.</summary>
    public int ResponseDays => Platform.Exchange.Requests.ResponseWorkingDays;

    /// <summary>The columns ticked.</summary>
    [BindProperty] public List<string> Columns { get; set; } = [];

    /// <summary>The filter rows.</summary>
    [BindProperty] public List<FilterInput> Filters { get; set; } = [];

    /// <summary>The purpose.</summary>
    [BindProperty] public string? Purpose { get; set; }

    /// <summary>The legal basis.</summary>
    [BindProperty] public string? LegalBasis { get; set; }

    /// <summary>api, export, both or verify.</summary>
    [BindProperty] public string Delivery { get; set; } = "api";

    /// <summary>The first day of use.</summary>
    [BindProperty] public DateOnly? PeriodFrom { get; set; }

    /// <summary>The last day of use.</summary>
    [BindProperty] public DateOnly? PeriodUntil { get; set; }

    /// <summary>Problems by field (<c>columns</c>, <c>filters[0].values</c>, <c>purpose</c>, …; <c>""</c> for the rest).</summary>
    public Dictionary<string, List<string>> Problems { get; } = new(StringComparer.Ordinal);

    /// <summary>One filter row of the form.</summary>
    public sealed class FilterInput
    {
        /// <summary>The column.</summary>
        public string? Field { get; set; }

        /// <summary>The operator.</summary>
        public string? Operator { get; set; }

        /// <summary>Values, comma-separated.</summary>
        public string? Values { get; set; }
    }

    /// <summary>The level of a column (its attribute's, else the dataset's).</summary>
    public int LevelOf(DatasetColumn column) => column.Sensitivity ?? Dataset.Sensitivity;

    /// <summary>Shows the form.</summary>
    public async Task<IActionResult> OnGetAsync(string? dataset, CancellationToken ct)
    {
        if (!await LoadAsync(dataset, ct))
        {
            return NotFound();
        }

        PeriodFrom = Today;
        PeriodUntil = Today.AddMonths(3);
        Columns = [.. Dataset.Columns.Where(c => LevelOf(c) < 4).Select(c => c.Name)];
        return Page();
    }

    /// <summary>Files the request.</summary>
    public async Task<IActionResult> OnPostAsync(string? dataset, CancellationToken ct)
    {
        if (!await LoadAsync(dataset, ct))
        {
            return NotFound();
        }

        var filters = Filters.Where(f => !string.IsNullOrWhiteSpace(f.Field))
            .Select(f => new RowFilter(f.Field!, f.Operator ?? string.Empty,
                [.. (f.Values ?? string.Empty).Split([',', '，'], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)]))
            .ToList();
        var draft = new ExchangeRequestDraft(Dataset.Name, Columns, filters, Purpose ?? string.Empty, LegalBasis ?? string.Empty,
            Delivery, PeriodFrom ?? default, PeriodUntil ?? default);
        try
        {
            var result = await Platform.Exchange.Requests.FileAsync(Actor, draft, Today, ct);
            return Redirect(string.Create(CultureInfo.InvariantCulture, $"/requests/{result.RequestId}?filed=1"));
        }
        catch (ExchangeRefusedException e)
        {
            foreach (var problem in e.Problems)
            {
                var colon = problem.IndexOf(": ", StringComparison.Ordinal);
                var field = colon > 0 ? problem[..colon] : string.Empty;
                var key = field.StartsWith("columns", StringComparison.Ordinal) ? "columns"
                    : field.StartsWith("filters[", StringComparison.Ordinal) ? field[..(field.IndexOf(']', StringComparison.Ordinal) + 1)]
                    : field is "purpose" or "legal_basis" or "delivery" or "period_from" or "period_until" ? field : string.Empty;
                if (!Problems.TryGetValue(key, out var list))
                {
                    Problems[key] = list = [];
                }

                list.Add(key.Length == 0 ? problem : problem[(colon + 2)..]);
            }

            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
    }

    /// <summary>The problems of one field, for the markup.</summary>
    public IReadOnlyList<string> ProblemsOf(string field) => Problems.TryGetValue(field, out var list) ? list : [];

    private async Task<bool> LoadAsync(string? dataset, CancellationToken ct)
    {
        if (dataset is null || !LakeStorage.IsTableName(dataset) || await Platform.Catalog.GetDatasetAsync(dataset, ct) is not { } found)
        {
            return false;
        }

        Dataset = found;
        while (Filters.Count < FilterRows)
        {
            Filters.Add(new FilterInput());
        }

        return true;
    }
}
