namespace DataHub.Exchange.Masking;

/// <summary><c>catalog/masks.yaml</c> cannot be used; <see cref="Problems"/> lists every problem, each with file, line and field.</summary>
public sealed class MaskDefinitionException : Exception
{
    /// <summary>Creates an exception without details.</summary>
    public MaskDefinitionException()
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    public MaskDefinitionException(string message) : base(message)
    {
    }

    /// <summary>Creates an exception with a message and a cause.</summary>
    public MaskDefinitionException(string message, Exception innerException) : base(message, innerException)
    {
    }

    /// <summary>Creates an exception listing every problem (<c>file:line: field: problem</c>).</summary>
    public MaskDefinitionException(IReadOnlyList<string> problems)
        : base($"{problems.Count} problem(s) in the masks:\n  " + string.Join("\n  ", problems)) => Problems = problems;

    /// <summary>Each problem as <c>file:line: field: problem</c>.</summary>
    public IReadOnlyList<string> Problems { get; } = [];
}
