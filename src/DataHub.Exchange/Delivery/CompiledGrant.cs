using DataHub.Exchange.Masking;

namespace DataHub.Exchange.Delivery;

/// <summary>A grant compiled to its DuckDB view over one snapshot of the dataset.</summary>
/// <param name="GrantId">The grant.</param>
/// <param name="ViewName">The view's name in the exchange's DuckDB database, such as <c>grant_12</c>.</param>
/// <param name="SnapshotId">The lake snapshot the view reads.</param>
/// <param name="Columns">How each granted column leaves (plain or masked), in order.</param>
/// <param name="ColumnTypes">The DuckDB type of each of the view's columns as delivered (masked columns are text).</param>
public sealed record CompiledGrant(long GrantId, string ViewName, long SnapshotId, IReadOnlyList<PlannedColumn> Columns, IReadOnlyDictionary<string, string> ColumnTypes)
{
    /// <summary>Whether any delivered column is masked.</summary>
    public bool Masked => Columns.Any(c => c.Rule.Kind != MaskKind.Plain);
}
