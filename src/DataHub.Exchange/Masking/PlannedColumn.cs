namespace DataHub.Exchange.Masking;

/// <summary>How one requested column leaves the platform.</summary>
/// <param name="Column">The dataset's column name (also the name in the view).</param>
/// <param name="Sensitivity">The column's effective sensitivity level.</param>
/// <param name="SemanticType">Its semantic type from <c>catalog/masks.yaml</c>, if any.</param>
/// <param name="Rule">The mask applied (<see cref="MaskRule.Plain"/> for plain values).</param>
/// <param name="ApprovedPlain">True when plain because the approval says so rather than because the level allows it.</param>
/// <param name="Sql">The select-list expression, such as <c>dh_mask_name("name") AS "name"</c>.</param>
public sealed record PlannedColumn(string Column, int Sensitivity, string? SemanticType, MaskRule Rule, bool ApprovedPlain, string Sql);
