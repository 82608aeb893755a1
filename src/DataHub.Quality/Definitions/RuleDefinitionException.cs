namespace DataHub.Quality.Definitions;

/// <summary>Rule files that cannot be used; <see cref="Problems"/> lists every problem found, each with file, line and field.</summary>
public sealed class RuleDefinitionException : Exception
{
    /// <summary>Creates an exception without details.</summary>
    public RuleDefinitionException()
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    public RuleDefinitionException(string message) : base(message)
    {
    }

    /// <summary>Creates an exception with a message and a cause.</summary>
    public RuleDefinitionException(string message, Exception innerException) : base(message, innerException)
    {
    }

    /// <summary>Creates an exception listing every problem (<c>file:line: field: problem</c>).</summary>
    public RuleDefinitionException(IReadOnlyList<string> problems)
        : base($"{problems.Count} problem(s) in the quality rules:\n  " + string.Join("\n  ", problems)) => Problems = problems;

    /// <summary>Each problem as <c>file:line: field: problem</c>.</summary>
    public IReadOnlyList<string> Problems { get; } = [];
}
