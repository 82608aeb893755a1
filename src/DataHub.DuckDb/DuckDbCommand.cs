using System.ComponentModel;
using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using DataHub.DuckDb.Internal;
using DataHub.DuckDb.Native;

namespace DataHub.DuckDb;

/// <summary>
/// A SQL command: one statement or several separated by semicolons, always prepared and bound (parameters are
/// never spliced into the text). The prepared statements are kept while the text and connection stay the same,
/// so executing a command repeatedly with new parameter values does not parse again.
/// </summary>
public sealed class DuckDbCommand : DbCommand
{
    private readonly DuckDbParameterCollection _parameters = [];
    private string _commandText = string.Empty;
    private DuckDbConnection? _connection;
    private StatementBatch? _prepared;

    /// <summary>Creates a command without connection or text.</summary>
    public DuckDbCommand()
    {
    }

    /// <summary>Creates a command with text on a connection.</summary>
    public DuckDbCommand(string commandText, DuckDbConnection? connection = null)
    {
        _commandText = commandText;
        _connection = connection;
    }

    /// <inheritdoc />
    [AllowNull]
    public override string CommandText
    {
        get => _commandText;
        set
        {
            if (!string.Equals(_commandText, value, StringComparison.Ordinal))
            {
                ReleasePrepared();
            }

            _commandText = value ?? string.Empty;
        }
    }

    /// <summary>Seconds before the command is interrupted; 0 (the default) waits for ever, as analytics often must.</summary>
    public override int CommandTimeout { get; set; }

    /// <inheritdoc />
    public override CommandType CommandType
    {
        get => CommandType.Text;
        set
        {
            if (value != CommandType.Text)
            {
                throw new NotSupportedException("DuckDB commands are SQL text.");
            }
        }
    }

    /// <inheritdoc />
    [DefaultValue(false)]
    [DesignerSerializationVisibility(DesignerSerializationVisibility.Hidden)]
    public override bool DesignTimeVisible { get; set; }

    /// <inheritdoc />
    public override UpdateRowSource UpdatedRowSource { get; set; }

    /// <summary>The command's connection.</summary>
    public new DuckDbConnection? Connection
    {
        get => _connection;
        set
        {
            if (!ReferenceEquals(_connection, value))
            {
                ReleasePrepared();
            }

            _connection = value;
        }
    }

    /// <summary>The command's parameters.</summary>
    public new DuckDbParameterCollection Parameters => _parameters;

    /// <inheritdoc />
    protected override DbConnection? DbConnection
    {
        get => _connection;
        set => Connection = value as DuckDbConnection ?? (value is null ? null : throw new ArgumentException("A DuckDbCommand needs a DuckDbConnection."));
    }

    /// <inheritdoc />
    protected override DbParameterCollection DbParameterCollection => _parameters;

    /// <inheritdoc />
    protected override DbTransaction? DbTransaction { get; set; }

    /// <summary>Interrupts this command if it is running; safe to call from another thread.</summary>
    public override void Cancel() => _connection?.Interrupt();

    /// <inheritdoc />
    public override int ExecuteNonQuery()
    {
        var connection = ReadyConnection();
        using var timeout = StartTimeout(connection);
        long changed = 0;
        var batch = PreparedStatements(connection);
        for (var i = 0; i < batch.Count; i++)
        {
            var statement = batch[i];
            StatementRunner.Bind(statement, _parameters.Items);
            using var result = StatementRunner.Execute(statement, streaming: false);
            changed += (long)NativeMethods.duckdb_rows_changed(result);
        }

        return (int)Math.Min(changed, int.MaxValue);
    }

    /// <inheritdoc />
    public override object? ExecuteScalar()
    {
        using var reader = ExecuteReader();
        return reader.Read() && reader.FieldCount > 0 ? reader.GetValue(0) : null;
    }

    /// <summary>Executes the command and streams its result.</summary>
    public new DuckDbDataReader ExecuteReader() => (DuckDbDataReader)ExecuteDbDataReader(CommandBehavior.Default);

    /// <summary>Executes the command and streams its result.</summary>
    public new DuckDbDataReader ExecuteReader(CommandBehavior behavior) => (DuckDbDataReader)ExecuteDbDataReader(behavior);

    /// <inheritdoc />
    public override void Prepare() => PreparedStatements(ReadyConnection());

    /// <inheritdoc />
    public override async Task<int> ExecuteNonQueryAsync(CancellationToken cancellationToken)
    {
        using var registration = Register(cancellationToken);
        try
        {
            return await Task.Run(ExecuteNonQuery, CancellationToken.None);
        }
        catch (DuckDbException e) when (e.IsInterrupted && cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException("The DuckDB query was cancelled.", e, cancellationToken);
        }
    }

    /// <inheritdoc />
    public override async Task<object?> ExecuteScalarAsync(CancellationToken cancellationToken)
    {
        using var registration = Register(cancellationToken);
        try
        {
            return await Task.Run(ExecuteScalar, CancellationToken.None);
        }
        catch (DuckDbException e) when (e.IsInterrupted && cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException("The DuckDB query was cancelled.", e, cancellationToken);
        }
    }

    /// <inheritdoc />
    protected override async Task<DbDataReader> ExecuteDbDataReaderAsync(CommandBehavior behavior, CancellationToken cancellationToken)
    {
        using var registration = Register(cancellationToken);
        try
        {
            return await Task.Run(() => ExecuteDbDataReader(behavior), CancellationToken.None);
        }
        catch (DuckDbException e) when (e.IsInterrupted && cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException("The DuckDB query was cancelled.", e, cancellationToken);
        }
    }

    /// <inheritdoc />
    protected override DbParameter CreateDbParameter() => new DuckDbParameter();

    /// <inheritdoc />
    protected override DbDataReader ExecuteDbDataReader(CommandBehavior behavior)
    {
        var connection = ReadyConnection();
        var statements = PreparedStatements(connection);
        var reader = new DuckDbDataReader(this, connection, statements, behavior, StartTimeout(connection));
        connection.ActiveReader = reader;
        try
        {
            reader.Start();
        }
        catch
        {
            reader.Dispose();
            throw;
        }

        return reader;
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            ReleasePrepared();
        }

        base.Dispose(disposing);
    }

    internal IReadOnlyList<DuckDbParameter> BoundParameters => _parameters.Items;

    private DuckDbConnection ReadyConnection()
    {
        var connection = _connection ?? throw new InvalidOperationException("The command has no connection.");
        connection.EnsureReady();
        return connection;
    }

    private StatementBatch PreparedStatements(DuckDbConnection connection)
    {
        if (_prepared is { IsValid: true })
        {
            return _prepared;
        }

        ReleasePrepared();
        _prepared = new StatementBatch(connection.NativeHandle, _commandText);
        return _prepared;
    }

    private void ReleasePrepared()
    {
        _prepared?.Dispose();
        _prepared = null;
    }

    private Timer? StartTimeout(DuckDbConnection connection) =>
        CommandTimeout > 0
            ? new Timer(_ => connection.Interrupt(), null, TimeSpan.FromSeconds(CommandTimeout), Timeout.InfiniteTimeSpan)
            : null;

    private CancellationTokenRegistration Register(CancellationToken token)
    {
        token.ThrowIfCancellationRequested();
        return token.Register(static state => ((DuckDbCommand)state!).Cancel(), this);
    }
}
