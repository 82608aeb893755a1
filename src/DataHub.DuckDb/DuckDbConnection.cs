using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using DataHub.DuckDb.Internal;
using DataHub.DuckDb.Native;

namespace DataHub.DuckDb;

/// <summary>
/// A connection to a DuckDB database through the C API.
/// </summary>
/// <remarks>
/// Threading: a connection (and its commands and readers) is used by one thread at a time. For parallel work open
/// one connection per thread; connections to the same file share one native database, which DuckDB makes safe
/// for concurrent use. The only members meant for another thread are <see cref="DuckDbCommand.Cancel"/>,
/// <see cref="Interrupt"/> and <see cref="GetQueryProgress"/>.
/// Results stream: while a data reader is open, the connection runs no other command.
/// </remarks>
public sealed class DuckDbConnection : DbConnection
{
    private string _connectionString;
    private SharedDatabase? _database;
    private ConnectionHandle? _handle;
    private ConnectionState _state = ConnectionState.Closed;

    /// <summary>Creates a closed connection to a private in-memory database.</summary>
    public DuckDbConnection() : this(string.Empty)
    {
    }

    /// <summary>Creates a closed connection for a connection string (see <see cref="DuckDbConnectionStringBuilder"/>).</summary>
    public DuckDbConnection(string connectionString) => _connectionString = connectionString ?? string.Empty;

    /// <summary>The version of the native DuckDB library in use.</summary>
    public static string NativeLibraryVersion => SharedDatabase.LibraryVersion;

    /// <inheritdoc />
    [AllowNull]
    public override string ConnectionString
    {
        get => _connectionString;
        set
        {
            if (_state != ConnectionState.Closed)
            {
                throw new InvalidOperationException("The connection string cannot change while the connection is open.");
            }

            _connectionString = value ?? string.Empty;
        }
    }

    /// <inheritdoc />
    public override string Database => "main";

    /// <inheritdoc />
    public override string DataSource => new DuckDbConnectionStringBuilder(_connectionString).DataSource;

    /// <inheritdoc />
    public override string ServerVersion => SharedDatabase.LibraryVersion;

    /// <inheritdoc />
    public override ConnectionState State => _state;

    internal DuckDbDataReader? ActiveReader { get; set; }

    internal DuckDbTransaction? ActiveTransaction { get; set; }

    internal ConnectionHandle NativeHandle =>
        _handle ?? throw new InvalidOperationException("The connection is not open.");

    /// <inheritdoc />
    public override void Open()
    {
        if (_state == ConnectionState.Open)
        {
            throw new InvalidOperationException("The connection is already open.");
        }

        var builder = new DuckDbConnectionStringBuilder(_connectionString);
        var database = SharedDatabase.Acquire(builder);
        if (NativeMethods.duckdb_connect(database.Handle, out var handle) != DuckDbState.Success)
        {
            handle.Dispose();
            database.Release();
            throw new DuckDbException($"DuckDB refused a connection to '{builder.DataSource}'.", DuckDbErrorType.Connection);
        }

        _database = database;
        _handle = handle;
        _state = ConnectionState.Open;
        // Progress is tracked (never printed) so callers can show progress bars for long queries.
        Execute("SET enable_progress_bar = true; SET enable_progress_bar_print = false");
    }

    /// <inheritdoc />
    public override void Close()
    {
        if (_state == ConnectionState.Closed)
        {
            return;
        }

        ActiveReader?.Close();
        ActiveReader = null;
        if (ActiveTransaction is { } transaction)
        {
            transaction.RollbackOnClose();
        }

        _handle?.Dispose();
        _handle = null;
        _database?.Release();
        _database = null;
        _state = ConnectionState.Closed;
    }

    /// <inheritdoc />
    public override void ChangeDatabase(string databaseName) =>
        throw new NotSupportedException("DuckDB attaches databases with ATTACH and switches with USE; run those as commands.");

    /// <summary>Creates a command on this connection.</summary>
    public new DuckDbCommand CreateCommand() => new() { Connection = this };

    /// <summary>Runs one or more SQL statements that return nothing of interest (DDL, SET, COPY …).</summary>
    public int Execute(string sql)
    {
        using var command = CreateCommand();
        command.CommandText = sql;
        return command.ExecuteNonQuery();
    }

    /// <summary>Interrupts the query running on this connection; safe to call from another thread.</summary>
    public void Interrupt()
    {
        var handle = _handle;
        try
        {
            if (handle is { IsClosed: false })
            {
                NativeMethods.duckdb_interrupt(handle);
            }
        }
        catch (ObjectDisposedException)
        {
            // Closed on another thread in the meantime: nothing left to interrupt.
        }
    }

    /// <summary>Progress of the query running on this connection; safe to call from another thread.</summary>
    public DuckDbQueryProgress GetQueryProgress()
    {
        var handle = _handle;
        if (handle is not { IsClosed: false })
        {
            return new DuckDbQueryProgress(-1, 0, 0);
        }

        try
        {
            var p = NativeMethods.duckdb_query_progress(handle);
            return new DuckDbQueryProgress(p.Percentage, p.RowsProcessed, p.TotalRowsToProcess);
        }
        catch (ObjectDisposedException)
        {
            return new DuckDbQueryProgress(-1, 0, 0);
        }
    }

    /// <summary>Starts a bulk insert into a table (see <see cref="DuckDbAppender"/>).</summary>
    public DuckDbAppender CreateAppender(string table, string? schema = null) => new(this, schema, table);

    /// <summary>Registers a scalar function written in C# so SQL on this database can call it.</summary>
    public void RegisterScalarFunction(DuckDbScalarFunction function)
    {
        ArgumentNullException.ThrowIfNull(function);
        function.Register(this);
    }

    /// <inheritdoc />
    protected override DbTransaction BeginDbTransaction(IsolationLevel isolationLevel)
    {
        if (ActiveTransaction is not null)
        {
            throw new InvalidOperationException("A transaction is already active on this connection; DuckDB does not nest transactions.");
        }

        if (isolationLevel is not (IsolationLevel.Unspecified or IsolationLevel.Snapshot or IsolationLevel.Serializable))
        {
            throw new NotSupportedException($"DuckDB transactions are snapshot isolated; {isolationLevel} is not available.");
        }

        Execute("BEGIN TRANSACTION");
        ActiveTransaction = new DuckDbTransaction(this);
        return ActiveTransaction;
    }

    /// <inheritdoc />
    protected override DbCommand CreateDbCommand() => CreateCommand();

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Close();
        }

        base.Dispose(disposing);
    }

    internal void EnsureReady()
    {
        if (_state != ConnectionState.Open)
        {
            throw new InvalidOperationException("The connection is not open.");
        }

        if (ActiveReader is not null)
        {
            throw new InvalidOperationException(
                "A data reader is still open on this connection. DuckDB streams results, so close the reader first or use another connection.");
        }
    }
}
