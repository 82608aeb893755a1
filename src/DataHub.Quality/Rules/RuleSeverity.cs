namespace DataHub.Quality.Rules;

/// <summary>What a breach of a rule means.</summary>
public enum RuleSeverity
{
    /// <summary>Reported, but the data is accepted.</summary>
    Warn,

    /// <summary>The data fails the check (and the ingestion gate quarantines the row).</summary>
    Fail,
}
