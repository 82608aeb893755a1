namespace DataHub.Themes.Definitions;

/// <summary>Theme definitions are invalid; every problem is named as <c>file:line: field: problem</c>.</summary>
public sealed class ThemeDefinitionException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="problems">Every problem.</param>
    public ThemeDefinitionException(IReadOnlyList<string> problems)
        : base("Invalid theme definitions:\n" + string.Join('\n', problems)) => Problems = problems;

    /// <summary>Creates the exception.</summary>
    public ThemeDefinitionException()
        : this([]) { }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The problem.</param>
    public ThemeDefinitionException(string message)
        : this([message]) { }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The problem.</param>
    /// <param name="innerException">The cause.</param>
    public ThemeDefinitionException(string message, Exception innerException)
        : base(message, innerException) => Problems = [message];

    /// <summary>Every problem.</summary>
    public IReadOnlyList<string> Problems { get; }
}
