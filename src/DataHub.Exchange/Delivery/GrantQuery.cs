using DataHub.Exchange.Requests;

namespace DataHub.Exchange.Delivery;

/// <summary>
/// A caller's query under a grant: which granted columns, the caller's own conditions on the delivered (masked)
/// values, joined by AND with the grant's row filter, and one page.
/// </summary>
/// <param name="Columns">Granted columns to return, in order; empty for all granted columns.</param>
/// <param name="Filters">Conditions on delivered values (operators as in requests); bound as parameters.</param>
/// <param name="Offset">Rows to skip (the page's start).</param>
/// <param name="Limit">Rows in the page, 1 to <see cref="MaxLimit"/>.</param>
public sealed record GrantQuery(IReadOnlyList<string> Columns, IReadOnlyList<RowFilter> Filters, long Offset, int Limit)
{
    /// <summary>The largest page served.</summary>
    public const int MaxLimit = 1000;

    /// <summary>The furthest offset served; beyond it, use an export.</summary>
    public const long MaxOffset = 10_000_000;
}
