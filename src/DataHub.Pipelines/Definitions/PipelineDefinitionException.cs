namespace DataHub.Pipelines.Definitions;

/// <summary>A pipeline definition that cannot be used, with the file, line and field at fault.</summary>
public sealed class PipelineDefinitionException : Exception
{
    /// <summary>Creates an exception without details.</summary>
    public PipelineDefinitionException()
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    public PipelineDefinitionException(string message) : base(message)
    {
    }

    /// <summary>Creates an exception with a message and a cause.</summary>
    public PipelineDefinitionException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
