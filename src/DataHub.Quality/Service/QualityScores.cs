using DataHub.Quality.Execution;
using DataHub.Quality.Rules;

namespace DataHub.Quality.Service;

/// <summary>
/// Scores after GB/T 36344: per dimension, the mean pass rate (0–100) of the rules in it; overall, the mean of
/// the dimensions that have rules, weighted (equal weights unless given).
/// </summary>
public static class QualityScores
{
    /// <summary>The name of the overall score.</summary>
    public const string Overall = "overall";

    /// <summary>Scores of one run.</summary>
    public static IReadOnlyDictionary<string, double> Compute(IReadOnlyList<RuleResult> results, IReadOnlyDictionary<QualityDimension, double>? weights = null)
    {
        ArgumentNullException.ThrowIfNull(results);
        var scores = new Dictionary<string, double>(StringComparer.Ordinal);
        double weighted = 0;
        double total = 0;
        foreach (var group in results.GroupBy(r => r.Rule.Dimension))
        {
            var score = Math.Round(group.Average(r => r.PassRate) * 100, 2);
            scores[group.Key.ToString().ToLowerInvariant()] = score;
            var weight = weights is not null && weights.TryGetValue(group.Key, out var w) ? w : 1.0;
            weighted += score * weight;
            total += weight;
        }

        scores[Overall] = total == 0 ? 100 : Math.Round(weighted / total, 2);
        return scores;
    }
}
