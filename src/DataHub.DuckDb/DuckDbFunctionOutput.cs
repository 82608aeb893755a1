using DataHub.DuckDb.Native;

namespace DataHub.DuckDb;

/// <summary>The result vector of one chunk of a C# scalar function, written in place.</summary>
public sealed unsafe class DuckDbFunctionOutput
{
    private readonly nint _vector;
    private readonly void* _data;
    private ulong* _validity;

    internal DuckDbFunctionOutput(nint vector, DuckDbType type)
    {
        _vector = vector;
        Type = type;
        _data = NativeMethods.duckdb_vector_get_data(vector);
    }

    /// <summary>The declared return type.</summary>
    public DuckDbType Type { get; }

    /// <summary>Sets a row's result to NULL.</summary>
    public void SetNull(int row)
    {
        if (_validity == null)
        {
            NativeMethods.duckdb_vector_ensure_validity_writable(_vector);
            _validity = NativeMethods.duckdb_vector_get_validity(_vector);
        }

        _validity[row >> 6] &= ~(1UL << (row & 63));
    }

    /// <summary>Sets a VARCHAR result from UTF-8 bytes (DuckDB copies them).</summary>
    public void SetUtf8(int row, ReadOnlySpan<byte> value)
    {
        Expect(DuckDbType.Varchar, DuckDbType.Blob);
        MarkValid(row);
        fixed (byte* p = value)
        {
            NativeMethods.duckdb_vector_assign_string_element_len(_vector, (ulong)row, p, (ulong)value.Length);
        }
    }

    /// <summary>Sets a VARCHAR result (NULL for a null string).</summary>
    public void SetString(int row, string? value)
    {
        if (value is null)
        {
            SetNull(row);
            return;
        }

        using var text = new Internal.Utf8Text(value);
        SetUtf8(row, text.Bytes);
    }

    /// <summary>Sets a BOOLEAN result.</summary>
    public void SetBoolean(int row, bool value)
    {
        Expect(DuckDbType.Boolean, DuckDbType.Boolean);
        MarkValid(row);
        ((byte*)_data)[row] = value ? (byte)1 : (byte)0;
    }

    /// <summary>Sets an INTEGER result.</summary>
    public void SetInt32(int row, int value)
    {
        Expect(DuckDbType.Integer, DuckDbType.Integer);
        MarkValid(row);
        ((int*)_data)[row] = value;
    }

    /// <summary>Sets a BIGINT result.</summary>
    public void SetInt64(int row, long value)
    {
        Expect(DuckDbType.BigInt, DuckDbType.BigInt);
        MarkValid(row);
        ((long*)_data)[row] = value;
    }

    /// <summary>Sets a DOUBLE result.</summary>
    public void SetDouble(int row, double value)
    {
        Expect(DuckDbType.Double, DuckDbType.Double);
        MarkValid(row);
        ((double*)_data)[row] = value;
    }

    private void MarkValid(int row)
    {
        if (_validity != null)
        {
            _validity[row >> 6] |= 1UL << (row & 63);
        }
    }

    private void Expect(DuckDbType a, DuckDbType b)
    {
        if (Type != a && Type != b)
        {
            throw new InvalidOperationException($"The function returns {Type}; it cannot write a {a} value.");
        }
    }
}
