namespace DataHub.Pipelines.Ingest;

/// <summary>A run its quality gate failed (too many rejected rows, or a fail_run rule broken): retrying cannot help.</summary>
public sealed class IngestRejectedException : Exception
{
    /// <summary>Creates an exception without details.</summary>
    public IngestRejectedException()
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    public IngestRejectedException(string message) : base(message)
    {
    }

    /// <summary>Creates an exception with a message and a cause.</summary>
    public IngestRejectedException(string message, Exception innerException) : base(message, innerException)
    {
    }
}

/// <summary>A run that was not started because the same pipeline is running elsewhere.</summary>
public sealed class PipelineBusyException : Exception
{
    /// <summary>Creates an exception without details.</summary>
    public PipelineBusyException()
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    public PipelineBusyException(string message) : base(message)
    {
    }

    /// <summary>Creates an exception with a message and a cause.</summary>
    public PipelineBusyException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
