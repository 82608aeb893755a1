using DataHub.Catalog;
using DataHub.Quality.Definitions;
using DataHub.Quality.Rules;

namespace DataHub.Quality.Service;

/// <summary>
/// Binds declared rules to one dataset's physical columns: dataset rules directly, attribute rules to every
/// column mapped to that L5 attribute (one bound rule per column, id suffixed with the column). Foreign-key
/// references (<c>schema.table.column</c>) and the other dataset of a reconcile rule (<c>schema.table</c>) become
/// a SELECT supplied by the caller (the lake scan of that table).
/// </summary>
public static class RuleBinder
{
    /// <summary>The rules that reach the dataset, bound to its columns.</summary>
    /// <param name="dataset">The dataset.</param>
    /// <param name="rules">The declared rules.</param>
    /// <param name="referenceSql">
    /// Turns a foreign key's <c>schema.table.column</c> into a SELECT of the allowed values, and a reconcile rule's
    /// <c>schema.table</c> into a SELECT of that dataset.
    /// </param>
    /// <param name="catalog">The catalog, for element rules (which L5 attributes use the element, and its code set); null to skip them.</param>
    public static IReadOnlyList<QualityRule> Bind(DatasetDefinition dataset, IReadOnlyList<RuleDefinition> rules, Func<string, string> referenceSql, CatalogDefinitions? catalog = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(referenceSql);
        var bound = new List<QualityRule>();
        foreach (var rule in rules)
        {
            var parameters = rule.Parameters;
            // A referenced table is resolved only for the rules that reach this dataset: the caller need not know any other.
            RuleParameters Resolved(RuleParameters p) => rule.Kind is RuleKind.ForeignKey or RuleKind.Reconcile or RuleKind.SourceConflicts && p.ReferenceSql is { } reference
                ? p with { ReferenceSql = referenceSql(reference) }
                : p;
            if (rule.Target.Dataset == dataset.Name)
            {
                IReadOnlyList<string> columns = rule.Kind switch
                {
                    RuleKind.Unique => rule.Columns,
                    RuleKind.Reconcile => (rule.Parameters.Reconcile?.On.Select(k => k.Column) ?? [])
                        .Concat(rule.Parameters.Reconcile?.Compare.Select(f => f.Column) ?? []).Distinct(StringComparer.Ordinal).ToList(),
                    RuleKind.Expression or RuleKind.RowCount or RuleKind.Schema => [],
                    RuleKind.Freshness or RuleKind.SourceConflicts => rule.Target.Column is { } c ? [c] : [],
                    RuleKind.AddressLink => [rule.Target.Column!, .. rule.Columns.Where(c => c != rule.Target.Column)],
                    _ => [rule.Target.Column!],
                };
                bound.Add(new QualityRule(rule.Id, rule.Kind, rule.Dimension, rule.Severity, columns, Resolved(parameters), rule.Threshold));
            }
            else if (rule.Target.Attribute is { } attribute)
            {
                foreach (var column in dataset.Columns.Where(c => c.L5NodeCode == attribute))
                {
                    bound.Add(new QualityRule($"{rule.Id}@{column.Name}", rule.Kind, rule.Dimension, rule.Severity, [column.Name], Resolved(parameters), rule.Threshold));
                }
            }
            else if (rule.Target.Element is { } element && catalog is not null)
            {
                // Every column whose L5 attribute uses the element inherits the rule; a code-set rule without codes
                // takes the element's code set.
                var attributes = catalog.Nodes.Where(n => n.ElementCode == element).Select(n => n.Code).ToHashSet(StringComparer.Ordinal);
                if (rule.Kind == RuleKind.InCodeSet && parameters.Codes.Count == 0)
                {
                    var codeSet = catalog.Elements.FirstOrDefault(e => e.Code == element)?.CodeSetCode;
                    var values = catalog.CodeSets.FirstOrDefault(c => c.Code == codeSet)?.Values.Select(v => v.Code).ToList();
                    parameters = parameters with { Codes = values ?? throw new KeyNotFoundException($"Rule {rule.Id}: element {element} has no code set to check against.") };
                }

                foreach (var column in dataset.Columns.Where(c => c.L5NodeCode is not null && attributes.Contains(c.L5NodeCode)))
                {
                    bound.Add(new QualityRule($"{rule.Id}@{column.Name}", rule.Kind, rule.Dimension, rule.Severity, [column.Name], Resolved(parameters), rule.Threshold));
                }
            }
        }

        return bound;
    }
}
