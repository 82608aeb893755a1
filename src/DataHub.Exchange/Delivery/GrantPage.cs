namespace DataHub.Exchange.Delivery;

/// <summary>One page of a query under a grant.</summary>
/// <param name="GrantId">The grant.</param>
/// <param name="SnapshotId">The lake snapshot read (pages of one snapshot are stable).</param>
/// <param name="Columns">The columns returned with their delivered types.</param>
/// <param name="Rows">The rows, values in column order.</param>
/// <param name="Offset">The page's start.</param>
/// <param name="NextOffset">Where the next page starts, or null when this was the last.</param>
/// <param name="Masked">Whether any returned column is masked.</param>
public sealed record GrantPage(long GrantId, long SnapshotId, IReadOnlyList<GrantPageColumn> Columns, IReadOnlyList<object?[]> Rows, long Offset, long? NextOffset, bool Masked);

/// <summary>A column of a <see cref="GrantPage"/>.</summary>
/// <param name="Name">The column.</param>
/// <param name="Type">Its DuckDB type as delivered.</param>
/// <param name="Mask">The mask applied (<c>plain</c> when none).</param>
public sealed record GrantPageColumn(string Name, string Type, string Mask);
