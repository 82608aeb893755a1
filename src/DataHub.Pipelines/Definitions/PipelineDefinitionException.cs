namespace DataHub.Pipelines.Definitions;

/// <summary>Pipeline definitions that cannot be used; <see cref="Problems"/> lists each with file, line and field.</summary>
public sealed class PipelineDefinitionException : Exception
{
    /// <summary>Creates an exception without details.</summary>
    public PipelineDefinitionException()
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    public PipelineDefinitionException(string message) : base(message) => Problems = [message];

    /// <summary>Creates an exception with a message and a cause.</summary>
    public PipelineDefinitionException(string message, Exception innerException) : base(message, innerException) => Problems = [message];

    /// <summary>Creates an exception listing every problem (<c>file:line: field 'x': problem</c>).</summary>
    public PipelineDefinitionException(IReadOnlyList<string> problems)
        : base(problems is [var one] ? one : $"{problems.Count} problems in the pipeline definitions:\n  " + string.Join("\n  ", problems)) => Problems = problems;

    /// <summary>Each problem as <c>file:line: field 'x': problem</c>.</summary>
    public IReadOnlyList<string> Problems { get; } = [];
}
