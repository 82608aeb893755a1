using System.Text.Json;
using DataHub.Exchange.Requests;

namespace DataHub.Host.Api;

/// <summary>A condition as sent: values may be JSON strings, numbers or booleans (dates as <c>yyyy-MM-dd</c> strings).</summary>
/// <param name="Field">The column.</param>
/// <param name="Operator">eq, in, between, lt, le, gt, ge or like_prefix.</param>
/// <param name="Values">The operands.</param>
public sealed record RowFilterBody(string? Field, string? Operator, IReadOnlyList<JsonElement>? Values)
{
    /// <summary>The condition with its values as text; a value that is not a string, number or boolean becomes null (and is refused).</summary>
    public RowFilter ToFilter() => new(Field ?? string.Empty, Operator ?? string.Empty, [.. (Values ?? []).Select(Text)]);

    /// <summary>The conditions of a body; a <c>null</c> in the list becomes a condition without a field, which is refused.</summary>
    /// <param name="filters">The conditions as sent, or null.</param>
    public static IReadOnlyList<RowFilter> ToFilters(IReadOnlyList<RowFilterBody?>? filters) =>
        [.. (filters ?? []).Select(f => f?.ToFilter() ?? new RowFilter(string.Empty, string.Empty, []))];

    private static string Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => null!,
    };
}

/// <summary>The body of <c>POST /api/v1/exchange/requests</c>. The requesting department and user are the caller's.</summary>
/// <param name="Dataset">schema.table.</param>
/// <param name="Columns">The columns wanted.</param>
/// <param name="Filters">The row filter (AND); empty or absent for all rows.</param>
/// <param name="Purpose">What the data is for.</param>
/// <param name="LegalBasis">The duty or law the use rests on.</param>
/// <param name="Delivery">api, export or both.</param>
/// <param name="PeriodFrom">First day of use.</param>
/// <param name="PeriodUntil">Last day of use.</param>
public sealed record ExchangeRequestBody(
    string? Dataset, IReadOnlyList<string>? Columns, IReadOnlyList<RowFilterBody?>? Filters, string? Purpose, string? LegalBasis, string? Delivery,
    DateOnly? PeriodFrom, DateOnly? PeriodUntil);

/// <summary>The body of <c>POST …/requests/{id}/decision</c>.</summary>
/// <param name="Approve">True to approve, false to reject.</param>
/// <param name="Reason">Why (required).</param>
/// <param name="PlainColumns">For an approving provider: requested columns shown unmasked.</param>
public sealed record ExchangeDecisionBody(bool? Approve, string? Reason, IReadOnlyList<string>? PlainColumns);

/// <summary>The body of <c>POST …/grants/{id}/revoke</c>.</summary>
/// <param name="Reason">Why (required).</param>
public sealed record ExchangeRevokeBody(string? Reason);

/// <summary>The body of <c>POST …/grants/{id}/query</c>.</summary>
/// <param name="Columns">Granted columns to return; absent or empty for all.</param>
/// <param name="Filters">Conditions on the delivered values, bound as parameters.</param>
/// <param name="Offset">Rows to skip (default 0).</param>
/// <param name="Limit">Page size, 1 to 1000 (default 100).</param>
public sealed record GrantQueryBody(IReadOnlyList<string>? Columns, IReadOnlyList<RowFilterBody?>? Filters, long? Offset, int? Limit);
