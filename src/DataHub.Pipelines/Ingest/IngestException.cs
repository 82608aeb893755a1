namespace DataHub.Pipelines.Ingest;

/// <summary>An ingest run that cannot proceed (a file that cannot be mapped, a missing source folder …).</summary>
public sealed class IngestException : Exception
{
    /// <summary>Creates an exception without details.</summary>
    public IngestException()
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    public IngestException(string message) : base(message)
    {
    }

    /// <summary>Creates an exception with a message and a cause.</summary>
    public IngestException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
