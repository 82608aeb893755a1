using System.Data.Common;

namespace DataHub.DuckDb;

/// <summary>
/// Every error raised by DuckDB, or by this provider on DuckDB's behalf. Keeps DuckDB's own message and its
/// <see cref="ErrorType"/>, so callers decide on the category, never on message text.
/// </summary>
public sealed class DuckDbException : DbException
{
    /// <summary>Creates an exception without a category.</summary>
    public DuckDbException()
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    public DuckDbException(string message) : base(message)
    {
    }

    /// <summary>Creates an exception with a message and the exception that caused it.</summary>
    public DuckDbException(string message, Exception innerException) : base(message, innerException)
    {
    }

    /// <summary>Creates an exception with DuckDB's category.</summary>
    public DuckDbException(string message, DuckDbErrorType errorType) : base(message) => ErrorType = errorType;

    /// <summary>DuckDB's category of the error.</summary>
    public DuckDbErrorType ErrorType { get; }

    /// <summary>True when the query was stopped by <see cref="DuckDbCommand.Cancel"/> or a cancellation token.</summary>
    public bool IsInterrupted => ErrorType == DuckDbErrorType.Interrupt;

    /// <inheritdoc />
    public override bool IsTransient => ErrorType is DuckDbErrorType.Transaction or DuckDbErrorType.Interrupt;

    /// <summary>
    /// Maps DuckDB's message prefix (for example <c>Catalog Error:</c>) to a category, for the API calls that
    /// only return a message (prepare and statement extraction). The names are DuckDB's own exception type names.
    /// </summary>
    internal static DuckDbErrorType CategoryOf(string message)
    {
        var colon = message.IndexOf(" Error:", StringComparison.Ordinal);
        if (colon <= 0)
        {
            return DuckDbErrorType.Invalid;
        }

        var name = message[..colon].Replace(" ", string.Empty, StringComparison.Ordinal);
        return name switch
        {
            "Parser" => DuckDbErrorType.Parser,
            "Catalog" => DuckDbErrorType.Catalog,
            "Binder" => DuckDbErrorType.Binder,
            "Conversion" => DuckDbErrorType.Conversion,
            "InvalidInput" => DuckDbErrorType.InvalidInput,
            "Constraint" => DuckDbErrorType.Constraint,
            "TransactionContext" or "Transaction" => DuckDbErrorType.Transaction,
            "OutofRange" or "OutOfRange" => DuckDbErrorType.OutOfRange,
            "NotImplemented" => DuckDbErrorType.NotImplemented,
            "IO" => DuckDbErrorType.IO,
            "Interrupt" => DuckDbErrorType.Interrupt,
            "Permission" => DuckDbErrorType.Permission,
            "Syntax" => DuckDbErrorType.Syntax,
            "Dependency" => DuckDbErrorType.Dependency,
            "OutofMemory" or "OutOfMemory" => DuckDbErrorType.OutOfMemory,
            "InvalidConfiguration" => DuckDbErrorType.InvalidConfiguration,
            "Internal" => DuckDbErrorType.Internal,
            "Fatal" => DuckDbErrorType.Fatal,
            _ => DuckDbErrorType.Invalid,
        };
    }
}
