using DataHub.Quality.Rules;

namespace DataHub.Quality.Execution;

/// <summary>One rule's result in a run.</summary>
/// <param name="Rule">The rule.</param>
/// <param name="Checked">Rows the rule applied to.</param>
/// <param name="Failed">Rows that broke it (for unique: rows sharing a key with another row).</param>
/// <param name="Outcome">Pass, warn or fail against the threshold and severity.</param>
/// <param name="Samples">Up to the sample cap of failing rows, as text: key columns and the rule's columns.</param>
/// <param name="Detail">Extra figures (unique: the number of duplicated keys).</param>
public sealed record RuleResult(QualityRule Rule, long Checked, long Failed, RuleOutcome Outcome, IReadOnlyList<string> Samples, string? Detail = null)
{
    /// <summary>The share of checked rows that pass, 0–1 (1 when nothing was checked).</summary>
    public double PassRate => Checked == 0 ? 1 : 1 - ((double)Failed / Checked);
}
