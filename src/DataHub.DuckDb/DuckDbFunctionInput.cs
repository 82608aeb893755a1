using System.Text;
using DataHub.DuckDb.Internal;
using DataHub.DuckDb.Native;

namespace DataHub.DuckDb;

/// <summary>The argument vectors of one chunk passed to a C# scalar function, read in place.</summary>
public sealed unsafe class DuckDbFunctionInput
{
    private readonly Vector[] _columns;

    internal DuckDbFunctionInput(nint chunk, IReadOnlyList<DuckDbType> types)
    {
        RowCount = (int)NativeMethods.duckdb_data_chunk_get_size(chunk);
        _columns = new Vector[types.Count];
        for (var i = 0; i < _columns.Length; i++)
        {
            _columns[i] = new Vector(NativeMethods.duckdb_data_chunk_get_vector(chunk, (ulong)i), ColumnType.Of(types[i]));
        }
    }

    /// <summary>Rows in this chunk.</summary>
    public int RowCount { get; }

    /// <summary>Arguments per row.</summary>
    public int ArgumentCount => _columns.Length;

    /// <summary>True when an argument is NULL in a row.</summary>
    public bool IsNull(int argument, int row) => !_columns[argument].IsValid((ulong)row);

    /// <summary>A VARCHAR argument's UTF-8 bytes, without allocating.</summary>
    public ReadOnlySpan<byte> GetUtf8(int argument, int row) => _columns[argument].Bytes((ulong)row);

    /// <summary>A VARCHAR argument as a string.</summary>
    public string GetString(int argument, int row) => Encoding.UTF8.GetString(GetUtf8(argument, row));

    /// <summary>An integer argument of any width.</summary>
    public long GetInt64(int argument, int row) => _columns[argument].ReadInteger((ulong)row);

    /// <summary>A DOUBLE (or FLOAT) argument.</summary>
    public double GetDouble(int argument, int row)
    {
        var v = _columns[argument];
        return v.Type.Id == DuckDbType.Float ? v.Read<float>((ulong)row) : v.Read<double>((ulong)row);
    }

    /// <summary>A BOOLEAN argument.</summary>
    public bool GetBoolean(int argument, int row) => _columns[argument].Read<byte>((ulong)row) != 0;

    /// <summary>A DATE argument.</summary>
    public DateOnly GetDate(int argument, int row) => Vector.ToDate(_columns[argument].Read<int>((ulong)row));

    /// <summary>Any argument as its CLR value (null for NULL).</summary>
    public object? GetValue(int argument, int row) =>
        IsNull(argument, row) ? null : _columns[argument].Value((ulong)row);
}
