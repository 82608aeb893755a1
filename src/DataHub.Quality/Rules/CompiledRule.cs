namespace DataHub.Quality.Rules;

/// <summary>A row-level rule as SQL: when it applies to a row, and when the row breaks it.</summary>
/// <param name="Rule">The rule.</param>
/// <param name="AppliesSql">A condition true for the rows the rule checks.</param>
/// <param name="ViolatesSql">A condition true (never NULL) for the rows that break it.</param>
public sealed record CompiledRule(QualityRule Rule, string AppliesSql, string ViolatesSql);
