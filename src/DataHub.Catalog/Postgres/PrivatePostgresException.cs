namespace DataHub.Catalog.Postgres;

/// <summary>
/// A private PostgreSQL cluster could not be found, initialised, started, reached or stopped.
/// The message says what was tried and, where the server wrote one, ends with the tail of its log.
/// </summary>
public sealed class PrivatePostgresException : Exception
{
    /// <summary>Creates the exception with no message.</summary>
    public PrivatePostgresException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What went wrong and what the user can do about it.</param>
    public PrivatePostgresException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the error that caused it.</summary>
    /// <param name="message">What went wrong and what the user can do about it.</param>
    /// <param name="innerException">The underlying error.</param>
    public PrivatePostgresException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
