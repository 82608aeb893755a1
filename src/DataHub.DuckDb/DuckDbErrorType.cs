namespace DataHub.DuckDb;

/// <summary>The category of a DuckDB error (<c>duckdb_error_type</c>), kept on <see cref="DuckDbException"/>.</summary>
#pragma warning disable CA1720 // Names are DuckDB's error categories.
public enum DuckDbErrorType
{
    /// <summary>No category was reported.</summary>
    Invalid = 0,
    /// <summary>A value is out of range.</summary>
    OutOfRange = 1,
    /// <summary>A conversion failed.</summary>
    Conversion = 2,
    /// <summary>Unknown type.</summary>
    UnknownType = 3,
    /// <summary>Decimal error.</summary>
    Decimal = 4,
    /// <summary>Mismatched types.</summary>
    MismatchType = 5,
    /// <summary>Division by zero.</summary>
    DivideByZero = 6,
    /// <summary>Object too large.</summary>
    ObjectSize = 7,
    /// <summary>Invalid type.</summary>
    InvalidType = 8,
    /// <summary>Serialization error.</summary>
    Serialization = 9,
    /// <summary>Transaction conflict or state error.</summary>
    Transaction = 10,
    /// <summary>Not implemented.</summary>
    NotImplemented = 11,
    /// <summary>Expression error.</summary>
    Expression = 12,
    /// <summary>Catalog error: an object does not exist or already exists.</summary>
    Catalog = 13,
    /// <summary>Parser error.</summary>
    Parser = 14,
    /// <summary>Planner error.</summary>
    Planner = 15,
    /// <summary>Scheduler error.</summary>
    Scheduler = 16,
    /// <summary>Executor error.</summary>
    Executor = 17,
    /// <summary>A constraint was violated.</summary>
    Constraint = 18,
    /// <summary>Index error.</summary>
    Index = 19,
    /// <summary>Statistics error.</summary>
    Stat = 20,
    /// <summary>Connection error.</summary>
    Connection = 21,
    /// <summary>Syntax error.</summary>
    Syntax = 22,
    /// <summary>Settings error.</summary>
    Settings = 23,
    /// <summary>Binder error: a column or function could not be resolved.</summary>
    Binder = 24,
    /// <summary>Network error.</summary>
    Network = 25,
    /// <summary>Optimizer error.</summary>
    Optimizer = 26,
    /// <summary>Null pointer.</summary>
    NullPointer = 27,
    /// <summary>I/O error.</summary>
    IO = 28,
    /// <summary>The query was interrupted.</summary>
    Interrupt = 29,
    /// <summary>Fatal error: the database must be restarted.</summary>
    Fatal = 30,
    /// <summary>Internal error.</summary>
    Internal = 31,
    /// <summary>Invalid input.</summary>
    InvalidInput = 32,
    /// <summary>Out of memory.</summary>
    OutOfMemory = 33,
    /// <summary>Permission error.</summary>
    Permission = 34,
    /// <summary>A parameter could not be resolved.</summary>
    ParameterNotResolved = 35,
    /// <summary>A parameter is not allowed here.</summary>
    ParameterNotAllowed = 36,
    /// <summary>Dependency error.</summary>
    Dependency = 37,
    /// <summary>HTTP error.</summary>
    Http = 38,
    /// <summary>A required extension is missing.</summary>
    MissingExtension = 39,
    /// <summary>Extension auto-loading failed.</summary>
    Autoload = 40,
    /// <summary>Sequence error.</summary>
    Sequence = 41,
    /// <summary>Invalid configuration.</summary>
    InvalidConfiguration = 42,
}
#pragma warning restore CA1720
