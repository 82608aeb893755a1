namespace DataHub.Exchange.Requests;

/// <summary>A request as its parties see it, with the decisions taken on it.</summary>
/// <param name="Id">The request.</param>
/// <param name="RequestingDepartment">Who asks.</param>
/// <param name="RequestingUser">The user who filed it.</param>
/// <param name="Dataset">The dataset asked for.</param>
/// <param name="Provider">The providing department (from the catalog).</param>
/// <param name="Columns">The columns asked for.</param>
/// <param name="Filters">The row filter.</param>
/// <param name="Purpose">What for.</param>
/// <param name="LegalBasis">On which basis.</param>
/// <param name="Delivery">api, export or both.</param>
/// <param name="PeriodFrom">First day of use.</param>
/// <param name="PeriodUntil">Last day of use.</param>
/// <param name="Status">Where it stands.</param>
/// <param name="StatusReason">Why, where there is a reason.</param>
/// <param name="FiledAt">When it was filed.</param>
/// <param name="DueDate">When the provider must answer, for conditional requests.</param>
/// <param name="PlainColumns">Columns the provider's approval shows unmasked.</param>
/// <param name="GrantId">The grant, once granted.</param>
/// <param name="Decisions">The decisions so far, in order.</param>
public sealed record ExchangeRequestView(
    long Id,
    string RequestingDepartment,
    string RequestingUser,
    string Dataset,
    string? Provider,
    IReadOnlyList<string> Columns,
    IReadOnlyList<RowFilter> Filters,
    string Purpose,
    string LegalBasis,
    string Delivery,
    DateOnly PeriodFrom,
    DateOnly PeriodUntil,
    string Status,
    string? StatusReason,
    DateTimeOffset FiledAt,
    DateOnly? DueDate,
    IReadOnlyList<string> PlainColumns,
    long? GrantId,
    IReadOnlyList<ExchangeDecisionView> Decisions);

/// <summary>One decision on a request.</summary>
/// <param name="Stage">provider or bureau.</param>
/// <param name="Actor">Who decided.</param>
/// <param name="Department">Their department.</param>
/// <param name="Decision">approve or reject.</param>
/// <param name="Reason">Why.</param>
/// <param name="DecidedAt">When.</param>
public sealed record ExchangeDecisionView(string Stage, string Actor, string Department, string Decision, string Reason, DateTimeOffset DecidedAt);
