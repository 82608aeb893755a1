using System.Runtime.InteropServices;
using DataHub.DuckDb.Native;

namespace DataHub.DuckDb;

/// <summary>
/// Bulk insert through DuckDB's appender: values are written column by column, row by row, with no SQL parsing.
/// Call <see cref="EndRow"/> after each row's values and <see cref="Close"/> (or Dispose) to flush.
/// </summary>
/// <example>
/// <code>
/// using var appender = connection.CreateAppender("readings");
/// appender.Append(1L).Append("户号").AppendNull().EndRow();
/// </code>
/// </example>
public sealed unsafe class DuckDbAppender : IDisposable
{
    private const long UnixEpochTicks = 621355968000000000;
    private readonly AppenderHandle _handle;
    private readonly string _table;
    private long _rows;

    internal DuckDbAppender(DuckDbConnection connection, string? schema, string table)
    {
        connection.EnsureReady();
        _table = table;
        if (NativeMethods.duckdb_appender_create(connection.NativeHandle, schema, table, out _handle) != DuckDbState.Success)
        {
            var message = Marshal.PtrToStringUTF8(NativeMethods.duckdb_appender_error(_handle)) ?? "unknown error";
            _handle.Dispose();
            throw new DuckDbException($"Cannot append to '{table}': {message}", DuckDbException.CategoryOf(message));
        }

        ColumnCount = (int)NativeMethods.duckdb_appender_column_count(_handle);
    }

    /// <summary>The number of columns a row needs.</summary>
    public int ColumnCount { get; }

    /// <summary>Rows ended so far.</summary>
    public long RowCount => _rows;

    /// <summary>Appends NULL.</summary>
    public DuckDbAppender AppendNull() => Check(NativeMethods.duckdb_append_null(_handle));

    /// <summary>Appends a BOOLEAN.</summary>
    public DuckDbAppender Append(bool value) => Check(NativeMethods.duckdb_append_bool(_handle, value));

    /// <summary>Appends a TINYINT.</summary>
    public DuckDbAppender Append(sbyte value) => Check(NativeMethods.duckdb_append_int8(_handle, value));

    /// <summary>Appends a SMALLINT.</summary>
    public DuckDbAppender Append(short value) => Check(NativeMethods.duckdb_append_int16(_handle, value));

    /// <summary>Appends an INTEGER.</summary>
    public DuckDbAppender Append(int value) => Check(NativeMethods.duckdb_append_int32(_handle, value));

    /// <summary>Appends a BIGINT.</summary>
    public DuckDbAppender Append(long value) => Check(NativeMethods.duckdb_append_int64(_handle, value));

    /// <summary>Appends a UTINYINT.</summary>
    public DuckDbAppender Append(byte value) => Check(NativeMethods.duckdb_append_uint8(_handle, value));

    /// <summary>Appends a USMALLINT.</summary>
    public DuckDbAppender Append(ushort value) => Check(NativeMethods.duckdb_append_uint16(_handle, value));

    /// <summary>Appends a UINTEGER.</summary>
    public DuckDbAppender Append(uint value) => Check(NativeMethods.duckdb_append_uint32(_handle, value));

    /// <summary>Appends a UBIGINT.</summary>
    public DuckDbAppender Append(ulong value) => Check(NativeMethods.duckdb_append_uint64(_handle, value));

    /// <summary>Appends a HUGEINT.</summary>
    public DuckDbAppender Append(Int128 value) =>
        Check(NativeMethods.duckdb_append_hugeint(_handle, new DuckDbHugeInt { Lower = (ulong)value, Upper = (long)(value >> 64) }));

    /// <summary>Appends a FLOAT.</summary>
    public DuckDbAppender Append(float value) => Check(NativeMethods.duckdb_append_float(_handle, value));

    /// <summary>Appends a DOUBLE.</summary>
    public DuckDbAppender Append(double value) => Check(NativeMethods.duckdb_append_double(_handle, value));

    /// <summary>Appends a DECIMAL (converted by DuckDB to the column's precision and scale).</summary>
    public DuckDbAppender Append(decimal value) =>
        Append(value.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Appends a DATE.</summary>
    public DuckDbAppender Append(DateOnly value) =>
        Check(NativeMethods.duckdb_append_date(_handle, value.DayNumber - DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber));

    /// <summary>Appends a TIME.</summary>
    public DuckDbAppender Append(TimeOnly value) => Check(NativeMethods.duckdb_append_time(_handle, value.Ticks / 10));

    /// <summary>Appends a TIMESTAMP.</summary>
    public DuckDbAppender Append(DateTime value) => Check(NativeMethods.duckdb_append_timestamp(_handle, (value.Ticks - UnixEpochTicks) / 10));

    /// <summary>Appends an INTERVAL.</summary>
    public DuckDbAppender Append(DuckDbInterval value) => Check(NativeMethods.duckdb_append_interval(_handle, value));

    /// <summary>Appends a VARCHAR (or NULL for a null string).</summary>
    public DuckDbAppender Append(string? value)
    {
        if (value is null)
        {
            return AppendNull();
        }

        using var text = new Internal.Utf8Text(value);
        fixed (byte* p = text.Bytes)
        {
            return Check(NativeMethods.duckdb_append_varchar_length(_handle, p, (ulong)text.Bytes.Length));
        }
    }

    /// <summary>Appends a BLOB (or NULL).</summary>
    public DuckDbAppender Append(byte[]? value)
    {
        if (value is null)
        {
            return AppendNull();
        }

        fixed (byte* p = value)
        {
            return Check(NativeMethods.duckdb_append_blob(_handle, p, (ulong)value.Length));
        }
    }

    /// <summary>Finishes the current row.</summary>
    public void EndRow()
    {
        Check(NativeMethods.duckdb_appender_end_row(_handle));
        _rows++;
    }

    /// <summary>Writes buffered rows to the table; constraint violations surface here.</summary>
    public void Flush() => Check(NativeMethods.duckdb_appender_flush(_handle));

    /// <summary>Flushes and closes the appender.</summary>
    public void Close()
    {
        if (!_handle.IsClosed)
        {
            Check(NativeMethods.duckdb_appender_close(_handle));
            _handle.Dispose();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (!_handle.IsClosed)
        {
            // Destroying flushes; an error there is reported by Close(), which callers should use to see it.
            _handle.Dispose();
        }
    }

    private DuckDbAppender Check(DuckDbState state)
    {
        if (state != DuckDbState.Success)
        {
            var message = Marshal.PtrToStringUTF8(NativeMethods.duckdb_appender_error(_handle)) ?? "unknown error";
            throw new DuckDbException($"Appending to '{_table}' failed at row {_rows + 1}: {message}", DuckDbException.CategoryOf(message));
        }

        return this;
    }
}
