namespace DataHub.Exchange.Requests;

/// <summary>What a department asks for: the fields, the scope (row filter), the purpose, the basis and the period.</summary>
/// <param name="Dataset">The catalogued dataset, schema.table.</param>
/// <param name="Columns">The columns wanted.</param>
/// <param name="Filters">The row filter, conditions joined by AND; empty for all rows.</param>
/// <param name="Purpose">What the data is for.</param>
/// <param name="LegalBasis">The duty or law the use rests on.</param>
/// <param name="Delivery">api, export or both.</param>
/// <param name="PeriodFrom">First day of use.</param>
/// <param name="PeriodUntil">Last day of use.</param>
public sealed record ExchangeRequestDraft(
    string Dataset,
    IReadOnlyList<string> Columns,
    IReadOnlyList<RowFilter> Filters,
    string Purpose,
    string LegalBasis,
    string Delivery,
    DateOnly PeriodFrom,
    DateOnly PeriodUntil);
