using DataHub.Catalog;
using DataHub.Quality.Definitions;
using DataHub.Quality.Rules;

namespace DataHub.Quality.Service;

/// <summary>
/// Binds declared rules to one dataset's physical columns: dataset rules directly, attribute rules to every
/// column mapped to that L5 attribute (one bound rule per column, id suffixed with the column). Foreign-key
/// references (<c>schema.table.column</c>) become a SELECT supplied by the caller (the lake scan of that table).
/// </summary>
public static class RuleBinder
{
    /// <summary>The rules that reach the dataset, bound to its columns.</summary>
    public static IReadOnlyList<QualityRule> Bind(DatasetDefinition dataset, IReadOnlyList<RuleDefinition> rules, Func<string, string> referenceSql)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(referenceSql);
        var bound = new List<QualityRule>();
        foreach (var rule in rules)
        {
            var parameters = rule.Kind == RuleKind.ForeignKey && rule.Parameters.ReferenceSql is { } reference
                ? rule.Parameters with { ReferenceSql = referenceSql(reference) }
                : rule.Parameters;
            if (rule.Target.Dataset == dataset.Name)
            {
                IReadOnlyList<string> columns = rule.Kind switch
                {
                    RuleKind.Unique => rule.Columns,
                    RuleKind.Expression => [],
                    _ => [rule.Target.Column!],
                };
                bound.Add(new QualityRule(rule.Id, rule.Kind, rule.Dimension, rule.Severity, columns, parameters, rule.Threshold));
            }
            else if (rule.Target.Attribute is { } attribute)
            {
                foreach (var column in dataset.Columns.Where(c => c.L5NodeCode == attribute))
                {
                    bound.Add(new QualityRule($"{rule.Id}@{column.Name}", rule.Kind, rule.Dimension, rule.Severity, [column.Name], parameters, rule.Threshold));
                }
            }
        }

        return bound;
    }
}
