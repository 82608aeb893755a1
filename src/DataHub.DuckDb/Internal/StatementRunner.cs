using System.Runtime.InteropServices;
using System.Text;
using DataHub.DuckDb.Native;

namespace DataHub.DuckDb.Internal;

/// <summary>Prepares, binds and executes statements, turning every native failure into <see cref="DuckDbException"/>.</summary>
internal static unsafe class StatementRunner
{
    private const long UnixEpochTicks = 621355968000000000;

    /// <summary>Binds the command's parameters to one statement, by name where named, else by position.</summary>
    public static void Bind(PreparedStatementHandle statement, IReadOnlyList<DuckDbParameter> parameters)
    {
        NativeMethods.duckdb_clear_bindings(statement);
        var expected = NativeMethods.duckdb_nparams(statement);
        if (expected == 0)
        {
            return;
        }

        for (var i = 0; i < parameters.Count; i++)
        {
            var parameter = parameters[i];
            ulong index;
            var bare = parameter.BareName;
            if (bare.Length == 0)
            {
                index = (ulong)i + 1;
            }
            else if (ulong.TryParse(bare, out var position))
            {
                index = position;
            }
            else if (NativeMethods.duckdb_bind_parameter_index(statement, out index, bare) != DuckDbState.Success)
            {
                // A named parameter this statement does not use (it may belong to another statement of the text).
                continue;
            }

            if (index > expected)
            {
                continue;
            }

            if (BindOne(statement, index, parameter.Value) != DuckDbState.Success)
            {
                throw new DuckDbException(
                    $"DuckDB could not bind parameter {(bare.Length == 0 ? $"#{i + 1}" : "$" + bare)} (a {parameter.Value?.GetType().Name ?? "null"}).",
                    DuckDbErrorType.MismatchType);
            }
        }
    }

    /// <summary>Executes a bound statement; streaming results are produced chunk by chunk as they are fetched.</summary>
    public static ResultHandle Execute(PreparedStatementHandle statement, bool streaming)
    {
        var state = streaming
            ? NativeMethods.duckdb_pending_prepared_streaming(statement, out var pending)
            : NativeMethods.duckdb_pending_prepared(statement, out pending);
        using (pending)
        {
            if (state != DuckDbState.Success)
            {
                var message = Marshal.PtrToStringUTF8(NativeMethods.duckdb_pending_error(pending))
                    ?? Marshal.PtrToStringUTF8(NativeMethods.duckdb_prepare_error(statement))
                    ?? "execution could not start";
                throw new DuckDbException(message, DuckDbException.CategoryOf(message));
            }

            var result = new ResultHandle();
            if (NativeMethods.duckdb_execute_pending(pending, result) != DuckDbState.Success)
            {
                using (result)
                {
                    throw ErrorOf(result);
                }
            }

            return result;
        }
    }

    /// <summary>The error a failed result carries, with DuckDB's category.</summary>
    public static DuckDbException ErrorOf(ResultHandle result)
    {
        var message = Marshal.PtrToStringUTF8(NativeMethods.duckdb_result_error(result)) ?? "unknown DuckDB error";
        var type = NativeMethods.duckdb_result_error_type(result);
        return new DuckDbException(message, type == DuckDbErrorType.Invalid ? DuckDbException.CategoryOf(message) : type);
    }

    private static DuckDbState BindOne(PreparedStatementHandle s, ulong i, object? value)
    {
        switch (value)
        {
            case null:
            case DBNull:
                return NativeMethods.duckdb_bind_null(s, i);
            case bool v:
                return NativeMethods.duckdb_bind_boolean(s, i, v);
            case sbyte v:
                return NativeMethods.duckdb_bind_int8(s, i, v);
            case short v:
                return NativeMethods.duckdb_bind_int16(s, i, v);
            case int v:
                return NativeMethods.duckdb_bind_int32(s, i, v);
            case long v:
                return NativeMethods.duckdb_bind_int64(s, i, v);
            case byte v:
                return NativeMethods.duckdb_bind_uint8(s, i, v);
            case ushort v:
                return NativeMethods.duckdb_bind_uint16(s, i, v);
            case uint v:
                return NativeMethods.duckdb_bind_uint32(s, i, v);
            case ulong v:
                return NativeMethods.duckdb_bind_uint64(s, i, v);
            case Int128 v:
                return NativeMethods.duckdb_bind_hugeint(s, i, new DuckDbHugeInt { Lower = (ulong)v, Upper = (long)(v >> 64) });
            case UInt128 v:
                return NativeMethods.duckdb_bind_uhugeint(s, i, new DuckDbUHugeInt { Lower = (ulong)v, Upper = (ulong)(v >> 64) });
            case float v:
                return NativeMethods.duckdb_bind_float(s, i, v);
            case double v:
                return NativeMethods.duckdb_bind_double(s, i, v);
            case decimal v:
                return BindDecimal(s, i, v);
            case string v:
                return BindText(s, i, v);
            case char v:
                return BindText(s, i, v.ToString());
            case byte[] v:
                fixed (byte* p = v)
                {
                    return NativeMethods.duckdb_bind_blob(s, i, p, (ulong)v.Length);
                }

            case DateOnly v:
                return NativeMethods.duckdb_bind_date(s, i, v.DayNumber - DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber);
            case TimeOnly v:
                return NativeMethods.duckdb_bind_time(s, i, v.Ticks / 10);
            case DateTime v:
                return NativeMethods.duckdb_bind_timestamp(s, i, (v.Ticks - UnixEpochTicks) / 10);
            case DateTimeOffset v:
                return NativeMethods.duckdb_bind_timestamp_tz(s, i, (v.UtcTicks - UnixEpochTicks) / 10);
            case TimeSpan v:
                return NativeMethods.duckdb_bind_interval(s, i, DuckDbInterval.FromTimeSpan(v));
            case DuckDbInterval v:
                return NativeMethods.duckdb_bind_interval(s, i, v);
            case Guid v:
            {
                Span<byte> bytes = stackalloc byte[16];
                v.TryWriteBytes(bytes, bigEndian: true, out _);
                var uuid = new DuckDbUHugeInt
                {
                    Upper = System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bytes),
                    Lower = System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]),
                };
                using var handle = NativeMethods.duckdb_create_uuid(uuid);
                return NativeMethods.duckdb_bind_value(s, i, handle);
            }

            case Enum v:
                return BindOne(s, i, Convert.ChangeType(v, Enum.GetUnderlyingType(v.GetType()), System.Globalization.CultureInfo.InvariantCulture));
            default:
                throw new NotSupportedException($"DuckDB parameters of type {value.GetType().FullName} are not supported.");
        }
    }

    private static DuckDbState BindText(PreparedStatementHandle s, ulong i, string value)
    {
        using var text = new Utf8Text(value);
        fixed (byte* p = text.Bytes)
        {
            return NativeMethods.duckdb_bind_varchar_length(s, i, p, (ulong)text.Bytes.Length);
        }
    }

    private static DuckDbState BindDecimal(PreparedStatementHandle s, ulong i, decimal value)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        var scale = (byte)((bits[3] >> 16) & 0xFF);
        var negative = bits[3] < 0;
        var magnitude = ((UInt128)(uint)bits[2] << 64) | ((UInt128)(uint)bits[1] << 32) | (uint)bits[0];
        var digits = magnitude == 0 ? 1 : (byte)magnitude.ToString(System.Globalization.CultureInfo.InvariantCulture).Length;
        var width = (byte)Math.Clamp(Math.Max(digits, scale + 1), 1, 38);
        var signed = negative ? -(Int128)magnitude : (Int128)magnitude;
        using var handle = NativeMethods.duckdb_create_decimal(new DuckDbDecimalStruct
        {
            Width = width,
            Scale = scale,
            Value = new DuckDbHugeInt { Lower = (ulong)signed, Upper = (long)(signed >> 64) },
        });
        return NativeMethods.duckdb_bind_value(s, i, handle);
    }
}
