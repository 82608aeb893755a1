using DataHub.Catalog;
using DataHub.Pipelines.Definitions;
using DataHub.Quality.Definitions;
using DataHub.Quality.Service;

namespace DataHub.Host.Scheduling;

/// <summary>
/// The checks of a pipeline against the catalog as code: its department and target exist, every mapped, key and
/// partition column is a column of the target, and every rule its quality gate names reaches the target.
/// </summary>
public static class PipelineCatalogCheck
{
    /// <summary>The problems (<c>file:line: field 'x': problem</c>), none when the pipeline fits the catalog.</summary>
    public static IReadOnlyList<string> Check(PipelineDefinition pipeline, CatalogDefinitions catalog, IReadOnlyList<RuleDefinition> rules)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(rules);
        var problems = new List<string>();
        if (catalog.Departments.All(d => d.Code != pipeline.Department))
        {
            problems.Add(pipeline.Problem("department", $"'{pipeline.Department}' is not a department of catalog/departments.yaml"));
        }

        if (!catalog.TryGetDataset(pipeline.Target, out var dataset))
        {
            problems.Add(pipeline.Problem("target", $"'{pipeline.Target}' is not a dataset in catalog/datasets"));
            return problems;
        }

        var columns = dataset.Columns.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        string Known() => string.Join(", ", dataset.Columns.Select(c => c.Name));
        foreach (var (field, column) in pipeline.Mapping)
        {
            if (!columns.Contains(column))
            {
                problems.Add(pipeline.Problem("mapping." + field, $"maps to '{column}', which is not a column of {dataset.Name} ({Known()})"));
            }
        }

        foreach (var key in pipeline.Write.Key.Where(k => !columns.Contains(k)))
        {
            problems.Add(pipeline.Problem(pipeline.FieldLines.ContainsKey("write.key") ? "write.key" : "key", $"'{key}' is not a column of {dataset.Name} ({Known()})"));
        }

        if (pipeline.Write.Partition is { } partition && !columns.Contains(partition))
        {
            problems.Add(pipeline.Problem("write.partition", $"'{partition}' is not a column of {dataset.Name} ({Known()})"));
        }

        var named = (pipeline.Gate.Reject ?? []).Concat(pipeline.Gate.FailRun).Distinct(StringComparer.Ordinal).ToList();
        if (named.Count > 0)
        {
            var bound = RuleBinder.Bind(dataset, rules, reference => reference, catalog).Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
            foreach (var id in named.Where(id => !bound.Contains(id)))
            {
                var field = pipeline.Gate.FailRun.Contains(id) ? "quality_gate.fail_run" : "quality_gate.reject";
                problems.Add(pipeline.Problem(field, $"rule '{id}' is not a rule of catalog/rules that reaches {dataset.Name}"));
            }
        }

        return problems;
    }
}
