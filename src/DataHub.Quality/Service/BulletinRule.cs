namespace DataHub.Quality.Service;

/// <summary>A rule's line in the bulletin.</summary>
/// <param name="Dataset">The dataset.</param>
/// <param name="RuleId">The rule.</param>
/// <param name="Kind">The rule kind as the rule files spell it (freshness, not_null …).</param>
/// <param name="Dimension">Its dimension.</param>
/// <param name="Checked">Rows checked.</param>
/// <param name="Failed">Rows failing.</param>
/// <param name="Outcome">warn or fail.</param>
/// <param name="Examples">Failing rows, masked per the dataset's grade.</param>
public sealed record BulletinRule(string Dataset, string RuleId, string Kind, string Dimension, long Checked, long Failed, string Outcome, IReadOnlyList<string> Examples)
{
    /// <summary>Failed as a share of checked, in percent.</summary>
    public double FailedPercent => Checked == 0 ? 0 : Math.Round(Failed * 100.0 / Checked, 2);
}
