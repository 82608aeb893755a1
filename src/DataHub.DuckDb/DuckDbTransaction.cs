using System.Data;
using System.Data.Common;

namespace DataHub.DuckDb;

/// <summary>A DuckDB transaction (snapshot isolation, optimistic concurrency).</summary>
public sealed class DuckDbTransaction : DbTransaction
{
    private DuckDbConnection? _connection;

    internal DuckDbTransaction(DuckDbConnection connection) => _connection = connection;

    /// <inheritdoc />
    public override IsolationLevel IsolationLevel => IsolationLevel.Snapshot;

    /// <inheritdoc />
    protected override DbConnection? DbConnection => _connection;

    /// <inheritdoc />
    public override void Commit() => Finish("COMMIT");

    /// <inheritdoc />
    public override void Rollback() => Finish("ROLLBACK");

    internal void RollbackOnClose()
    {
        if (_connection is { } connection)
        {
            connection.ActiveTransaction = null;
            _connection = null;
        }
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing && _connection is not null)
        {
            Rollback();
        }

        base.Dispose(disposing);
    }

    private void Finish(string statement)
    {
        var connection = _connection ?? throw new InvalidOperationException("The transaction has already been committed or rolled back.");
        connection.EnsureReady();
        try
        {
            connection.Execute(statement);
        }
        finally
        {
            // Once COMMIT or ROLLBACK has run (or failed, in which case DuckDB rolls back), the transaction is over.
            _connection = null;
            connection.ActiveTransaction = null;
        }
    }
}
