namespace DataHub.Quality.Execution;

/// <summary>How a rule fared.</summary>
public enum RuleOutcome
{
    /// <summary>Failures within the threshold.</summary>
    Pass,

    /// <summary>Breached, severity warn.</summary>
    Warn,

    /// <summary>Breached, severity fail.</summary>
    Fail,
}
