using System.Collections;
using System.Data;
using System.Data.Common;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using DataHub.DuckDb.Internal;
using DataHub.DuckDb.Native;

namespace DataHub.DuckDb;

/// <summary>
/// Streams a DuckDB result chunk by chunk (up to 2,048 rows each), reading values straight from the vectors'
/// memory. Only the current chunk is held, so memory stays bounded however large the result.
/// </summary>
/// <remarks>
/// <see cref="GetString"/> works on every column and gives the value's text; typed getters convert between
/// numeric widths where no information is lost. Nested types (LIST, STRUCT, MAP, ARRAY, UNION) are read as text.
/// </remarks>
public sealed unsafe class DuckDbDataReader : DbDataReader
{
    private readonly DuckDbCommand _command;
    private readonly DuckDbConnection _connection;
    private readonly StatementBatch _statements;
    private readonly CommandBehavior _behavior;
    private readonly Timer? _timeout;

    private int _statementIndex = -1;
    private ResultHandle? _result;
    private string[] _names = [];
    private ColumnType[] _types = [];
    private DataChunkHandle? _chunk;
    private Vector[] _vectors = [];
    private ulong _chunkSize;
    private ulong _row;
    private bool _hasRows;
    private bool _finished;
    private bool _closed;
    private bool _faulted;

    internal DuckDbDataReader(DuckDbCommand command, DuckDbConnection connection, StatementBatch statements, CommandBehavior behavior, Timer? timeout)
    {
        _command = command;
        _connection = connection;
        _statements = statements;
        _behavior = behavior;
        _timeout = timeout;
    }

    /// <inheritdoc />
    public override int Depth => 0;

    /// <inheritdoc />
    public override int FieldCount => _names.Length;

    /// <inheritdoc />
    public override bool HasRows => _hasRows;

    /// <inheritdoc />
    public override bool IsClosed => _closed;

    /// <inheritdoc />
    /// <remarks>Always -1: results stream, so counts of changed rows come from <see cref="DuckDbCommand.ExecuteNonQuery"/>.</remarks>
    public override int RecordsAffected => -1;

    /// <inheritdoc />
    public override object this[int ordinal] => GetValue(ordinal);

    /// <inheritdoc />
    public override object this[string name] => GetValue(GetOrdinal(name));

    internal void Start()
    {
        // The first statement runs now and streams; NextResult moves to the next one. Statements the caller never
        // reaches with NextResult still run when the reader closes, so no statement of the text is skipped.
        if (!NextResult())
        {
            _finished = true;
        }
    }

    /// <inheritdoc />
    public override bool NextResult()
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        ReleaseResult();
        if (++_statementIndex >= _statements.Count)
        {
            _finished = true;
            return false;
        }

        try
        {
            var statement = _statements[_statementIndex];
            StatementRunner.Bind(statement, _command.BoundParameters);
            _result = StatementRunner.Execute(statement, streaming: true);
        }
        catch
        {
            _faulted = true;
            throw;
        }

        var count = (int)NativeMethods.duckdb_column_count(_result);
        _names = new string[count];
        _types = new ColumnType[count];
        for (var i = 0; i < count; i++)
        {
            _names[i] = Marshal.PtrToStringUTF8(NativeMethods.duckdb_column_name(_result, (ulong)i)) ?? string.Empty;
            using var type = NativeMethods.duckdb_column_logical_type(_result, (ulong)i);
            _types[i] = ColumnType.FromHandle(type);
        }

        _vectors = new Vector[count];
        _finished = false;
        _hasRows = FetchChunk();
        _row = ulong.MaxValue;
        return true;
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public override bool Read()
    {
        if (_finished)
        {
            return false;
        }

        if (_row == ulong.MaxValue && _chunk is not null)
        {
            _row = 0;
            return true;
        }

        if (++_row < _chunkSize)
        {
            return true;
        }

        if (FetchChunk())
        {
            _row = 0;
            return true;
        }

        return false;
    }

    /// <inheritdoc />
    public override bool IsDBNull(int ordinal) => !Column(ordinal).IsValid(_row);

    /// <inheritdoc />
    public override bool GetBoolean(int ordinal)
    {
        var v = Valid(ordinal);
        return v.Type.Id == DuckDbType.Boolean ? v.Read<byte>(_row) != 0 : Convert.ToBoolean(v.Value(_row), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <inheritdoc />
    public override byte GetByte(int ordinal) => checked((byte)GetInt64(ordinal));

    /// <inheritdoc />
    public override short GetInt16(int ordinal) => checked((short)GetInt64(ordinal));

    /// <inheritdoc />
    public override int GetInt32(int ordinal)
    {
        var v = Valid(ordinal);
        return v.Type.Id == DuckDbType.Integer ? v.Read<int>(_row) : checked((int)Integer(v));
    }

    /// <inheritdoc />
    public override long GetInt64(int ordinal)
    {
        var v = Valid(ordinal);
        return v.Type.Id == DuckDbType.BigInt ? v.Read<long>(_row) : Integer(v);
    }

    /// <inheritdoc />
    public override float GetFloat(int ordinal)
    {
        var v = Valid(ordinal);
        return v.Type.Id == DuckDbType.Float ? v.Read<float>(_row) : (float)GetDouble(ordinal);
    }

    /// <inheritdoc />
    public override double GetDouble(int ordinal)
    {
        var v = Valid(ordinal);
        return v.Type.Id switch
        {
            DuckDbType.Double => v.Read<double>(_row),
            DuckDbType.Float => v.Read<float>(_row),
            DuckDbType.Decimal => (double)v.ReadDecimal(_row),
            _ => Integer(v),
        };
    }

    /// <inheritdoc />
    public override decimal GetDecimal(int ordinal)
    {
        var v = Valid(ordinal);
        return v.Type.Id switch
        {
            DuckDbType.Decimal => v.ReadDecimal(_row),
            DuckDbType.Double => (decimal)v.Read<double>(_row),
            DuckDbType.Float => (decimal)v.Read<float>(_row),
            _ => Integer(v),
        };
    }

    /// <inheritdoc />
    public override string GetString(int ordinal)
    {
        var v = Valid(ordinal);
        return v.Type.Id == DuckDbType.Varchar ? v.String(_row) : v.Text(_row);
    }

    /// <summary>The UTF-8 bytes of a VARCHAR or BLOB value, valid until the next <see cref="Read"/>; no allocation.</summary>
    public ReadOnlySpan<byte> GetUtf8Bytes(int ordinal)
    {
        var v = Valid(ordinal);
        return v.Type.Id is DuckDbType.Varchar or DuckDbType.Blob
            ? v.Bytes(_row)
            : throw new InvalidCastException($"Column {_names[ordinal]} is {v.Type.Name}, not VARCHAR or BLOB.");
    }

    /// <inheritdoc />
    public override char GetChar(int ordinal) => GetString(ordinal)[0];

    /// <inheritdoc />
    public override DateTime GetDateTime(int ordinal)
    {
        var value = GetValue(ordinal);
        return value switch
        {
            DateTime d => d,
            DateOnly d => d.ToDateTime(TimeOnly.MinValue),
            DateTimeOffset d => d.UtcDateTime,
            _ => throw new InvalidCastException($"Column {_names[ordinal]} is {_types[ordinal].Name}, not a date or timestamp."),
        };
    }

    /// <inheritdoc />
    public override Guid GetGuid(int ordinal)
    {
        var v = Valid(ordinal);
        return v.Type.Id == DuckDbType.Uuid ? Vector.ToGuid(v.Data, _row) : Guid.Parse(GetString(ordinal));
    }

    /// <inheritdoc />
    public override object GetValue(int ordinal)
    {
        var v = Column(ordinal);
        return v.IsValid(_row) ? v.Value(_row) : DBNull.Value;
    }

    /// <inheritdoc />
    public override T GetFieldValue<T>(int ordinal)
    {
        if (typeof(T) == typeof(string))
        {
            return (T)(object)GetString(ordinal);
        }

        var value = GetValue(ordinal);
        if (value is T typed)
        {
            return typed;
        }

        if (value is DBNull)
        {
            return default(T) is null ? default! : throw new InvalidCastException($"Column {_names[ordinal]} is NULL.");
        }

        var target = Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T);
        object converted = target switch
        {
            _ when target == typeof(DateTime) => GetDateTime(ordinal),
            _ when target == typeof(TimeSpan) && value is DuckDbInterval i => i.ToTimeSpan(),
            _ when target == typeof(TimeSpan) && value is TimeOnly t => t.ToTimeSpan(),
            _ => Convert.ChangeType(value, target, System.Globalization.CultureInfo.InvariantCulture),
        };
        return (T)converted;
    }

    /// <inheritdoc />
    public override int GetValues(object[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var count = Math.Min(values.Length, FieldCount);
        for (var i = 0; i < count; i++)
        {
            values[i] = GetValue(i);
        }

        return count;
    }

    /// <inheritdoc />
    public override long GetBytes(int ordinal, long dataOffset, byte[]? buffer, int bufferOffset, int length)
    {
        var bytes = GetUtf8Bytes(ordinal);
        if (buffer is null)
        {
            return bytes.Length;
        }

        var available = Math.Max(0, bytes.Length - (int)dataOffset);
        var count = Math.Min(available, length);
        bytes.Slice((int)dataOffset, count).CopyTo(buffer.AsSpan(bufferOffset));
        return count;
    }

    /// <inheritdoc />
    public override long GetChars(int ordinal, long dataOffset, char[]? buffer, int bufferOffset, int length)
    {
        var text = GetString(ordinal);
        if (buffer is null)
        {
            return text.Length;
        }

        var available = Math.Max(0, text.Length - (int)dataOffset);
        var count = Math.Min(available, length);
        text.AsSpan((int)dataOffset, count).CopyTo(buffer.AsSpan(bufferOffset));
        return count;
    }

    /// <inheritdoc />
    public override string GetDataTypeName(int ordinal) => _types[ordinal].Name;

    /// <summary>DuckDB's type id of a column.</summary>
    public DuckDbType GetDuckDbType(int ordinal) => _types[ordinal].Id;

    /// <inheritdoc />
    public override Type GetFieldType(int ordinal) => _types[ordinal].ClrType;

    /// <inheritdoc />
    public override string GetName(int ordinal) => _names[ordinal];

    /// <inheritdoc />
    public override int GetOrdinal(string name)
    {
        var index = Array.FindIndex(_names, n => string.Equals(n, name, StringComparison.Ordinal));
        if (index < 0)
        {
            index = Array.FindIndex(_names, n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase));
        }

#pragma warning disable CA2201 // ADO.NET's contract for GetOrdinal is IndexOutOfRangeException.
        return index >= 0 ? index : throw new IndexOutOfRangeException($"The result has no column named '{name}'.");
#pragma warning restore CA2201
    }

    /// <inheritdoc />
    public override IEnumerator GetEnumerator() => new DbEnumerator(this, closeReader: false);

    /// <inheritdoc />
    public override DataTable GetSchemaTable()
    {
        var table = new DataTable("SchemaTable") { Locale = System.Globalization.CultureInfo.InvariantCulture };
        table.Columns.Add("ColumnName", typeof(string));
        table.Columns.Add("ColumnOrdinal", typeof(int));
        table.Columns.Add("DataType", typeof(Type));
        table.Columns.Add("DataTypeName", typeof(string));
        table.Columns.Add("AllowDBNull", typeof(bool));
        for (var i = 0; i < FieldCount; i++)
        {
            table.Rows.Add(_names[i], i, _types[i].ClrType, _types[i].Name, true);
        }

        return table;
    }

    /// <inheritdoc />
    public override void Close()
    {
        if (_closed)
        {
            return;
        }

        _closed = true;
        try
        {
            ReleaseResult();
            while (!_faulted && ++_statementIndex < _statements.Count)
            {
                var statement = _statements[_statementIndex];
                StatementRunner.Bind(statement, _command.BoundParameters);
                StatementRunner.Execute(statement, streaming: false).Dispose();
            }
        }
        finally
        {
            _timeout?.Dispose();
            ReleaseResult();
            if (ReferenceEquals(_connection.ActiveReader, this))
            {
                _connection.ActiveReader = null;
            }

            if (_behavior.HasFlag(CommandBehavior.CloseConnection))
            {
                _connection.Close();
            }
        }
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Close();
        }

        base.Dispose(disposing);
    }

    private bool FetchChunk()
    {
        _chunk?.Dispose();
        _chunk = null;
        if (_result is null)
        {
            return false;
        }

        while (true)
        {
            var pointer = NativeMethods.duckdb_fetch_chunk(*_result.Pointer);
            if (pointer == 0)
            {
                if (NativeMethods.duckdb_result_error(_result) != 0)
                {
                    _finished = true;
                    _faulted = true;
                    throw StatementRunner.ErrorOf(_result);
                }

                _finished = true;
                _chunkSize = 0;
                return false;
            }

            var chunk = new DataChunkHandle(pointer);
            var size = NativeMethods.duckdb_data_chunk_get_size(pointer);
            if (size == 0)
            {
                chunk.Dispose();
                continue;
            }

            _chunk = chunk;
            _chunkSize = size;
            for (var i = 0; i < _vectors.Length; i++)
            {
                _vectors[i] = new Vector(NativeMethods.duckdb_data_chunk_get_vector(pointer, (ulong)i), _types[i]);
            }

            return true;
        }
    }

    private void ReleaseResult()
    {
        _chunk?.Dispose();
        _chunk = null;
        _chunkSize = 0;
        if (_result is not null && !_finished && !_faulted)
        {
            // A streamed query only ends (and its auto-commit transaction with it) when its last chunk has been
            // fetched; left half-read, its transaction would swallow the next catalog change (a registered
            // function, say) and roll it back later. So finish it: a SELECT is interrupted first (nothing to
            // keep), any other statement is read to its end so its effect commits.
            if (NativeMethods.duckdb_result_statement_type(*_result.Pointer) == 1)
            {
                _connection.Interrupt();
            }

            nint pointer;
            while ((pointer = NativeMethods.duckdb_fetch_chunk(*_result.Pointer)) != 0)
            {
                NativeMethods.duckdb_destroy_data_chunk(ref pointer);
            }

            _finished = true;
        }

        if (_result is not null)
        {
            _result.Dispose();
            _result = null;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Vector Column(int ordinal)
    {
        if (_chunk is null || _row >= _chunkSize)
        {
            throw new InvalidOperationException("No current row: call Read() first and check that it returned true.");
        }

        return _vectors[ordinal];
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Vector Valid(int ordinal)
    {
        var v = Column(ordinal);
        if (!v.IsValid(_row))
        {
            ThrowNull(ordinal);
        }

        return v;
    }

    private void ThrowNull(int ordinal) =>
        throw new InvalidCastException($"Column '{_names[ordinal]}' is NULL in this row; check IsDBNull first.");

    private long Integer(Vector v) => v.ReadInteger(_row);
}
