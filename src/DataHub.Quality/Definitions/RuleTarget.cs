namespace DataHub.Quality.Definitions;

/// <summary>What a catalog rule is attached to; exactly one of the three is set.</summary>
/// <param name="Attribute">An L5 attribute code: every column mapped to it is checked.</param>
/// <param name="Element">A data element code: every column whose L5 attribute uses it is checked.</param>
/// <param name="Dataset">A dataset (lake table) name, for dataset-level rules (expression, unique, foreign key) or one column of it.</param>
/// <param name="Column">With <paramref name="Dataset"/>: the column a column rule checks.</param>
public sealed record RuleTarget(string? Attribute, string? Element, string? Dataset, string? Column);
