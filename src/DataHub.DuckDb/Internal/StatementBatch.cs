using System.Runtime.InteropServices;
using DataHub.DuckDb.Native;

namespace DataHub.DuckDb.Internal;

/// <summary>
/// The statements of one command text. Each is prepared just before it first runs, because a later statement
/// may name a table an earlier one creates; once prepared it is kept for the command's next execution.
/// </summary>
internal sealed class StatementBatch : IDisposable
{
    private readonly ConnectionHandle _connection;
    private readonly ExtractedStatementsHandle _extracted;
    private readonly PreparedStatementHandle?[] _prepared;

    public StatementBatch(ConnectionHandle connection, string sql)
    {
        if (string.IsNullOrWhiteSpace(sql))
        {
            throw new InvalidOperationException("The command has no SQL text.");
        }

        _connection = connection;
        var count = NativeMethods.duckdb_extract_statements(connection, sql, out _extracted);
        if (count == 0)
        {
            var message = Marshal.PtrToStringUTF8(NativeMethods.duckdb_extract_statements_error(_extracted)) ?? "no statement found";
            _extracted.Dispose();
            throw new DuckDbException(message, DuckDbException.CategoryOf(message));
        }

        _prepared = new PreparedStatementHandle?[count];
    }

    public int Count => _prepared.Length;

    public bool IsValid => !_connection.IsClosed && !_extracted.IsClosed;

    public PreparedStatementHandle this[int index]
    {
        get
        {
            if (_prepared[index] is { IsClosed: false } ready)
            {
                return ready;
            }

            if (NativeMethods.duckdb_prepare_extracted_statement(_connection, _extracted, (ulong)index, out var statement) != DuckDbState.Success)
            {
                var message = Marshal.PtrToStringUTF8(NativeMethods.duckdb_prepare_error(statement)) ?? "prepare failed";
                statement.Dispose();
                throw new DuckDbException(message, DuckDbException.CategoryOf(message));
            }

            _prepared[index] = statement;
            return statement;
        }
    }

    public void Dispose()
    {
        foreach (var statement in _prepared)
        {
            statement?.Dispose();
        }

        _extracted.Dispose();
    }
}
