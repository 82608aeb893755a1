using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using DataHub.DuckDb.Native;

namespace DataHub.DuckDb.Internal;

/// <summary>
/// A borrowed view of one DuckDB vector: its data pointer, its validity mask (null when every row is valid)
/// and its type. Values are read straight from the vector memory; nothing goes through <c>duckdb_value_*</c>.
/// </summary>
internal readonly unsafe struct Vector
{
    private const long UnixEpochTicks = 621355968000000000;
    private static readonly int EpochDayNumber = DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber;

    public Vector(nint handle, ColumnType type)
    {
        Handle = handle;
        Type = type;
        Data = NativeMethods.duckdb_vector_get_data(handle);
        Validity = NativeMethods.duckdb_vector_get_validity(handle);
    }

    public nint Handle { get; }

    public ColumnType Type { get; }

    public void* Data { get; }

    public ulong* Validity { get; }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool IsValid(ulong row) => Validity == null || (Validity[row >> 6] & (1UL << (int)(row & 63))) != 0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T Read<T>(ulong row) where T : unmanaged => ((T*)Data)[row];

    /// <summary>The bytes of a VARCHAR or BLOB entry (<c>duckdb_string_t</c>: inlined up to 12 bytes, else a pointer).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ReadOnlySpan<byte> Bytes(ulong row)
    {
        var entry = (byte*)Data + (row * 16);
        var length = *(uint*)entry;
        return length <= 12
            ? new ReadOnlySpan<byte>(entry + 4, (int)length)
            : new ReadOnlySpan<byte>(*(byte**)(entry + 8), (int)length);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public string String(ulong row) => Encoding.UTF8.GetString(Bytes(row));

    public static Int128 ReadHugeInt(void* data, ulong row)
    {
        var p = (ulong*)data + (row * 2);
        return new Int128(p[1], p[0]);
    }

    public static DateOnly ToDate(int days) => days switch
    {
        int.MaxValue => DateOnly.MaxValue,
        -int.MaxValue => DateOnly.MinValue,
        _ => DateOnly.FromDayNumber(checked(EpochDayNumber + days)),
    };

    public static DateTime ToDateTime(long micros) => micros switch
    {
        long.MaxValue => DateTime.MaxValue,
        -long.MaxValue => DateTime.MinValue,
        _ => new DateTime(checked(UnixEpochTicks + (micros * 10)), DateTimeKind.Unspecified),
    };

    public static Guid ToGuid(void* data, ulong row)
    {
        var p = (ulong*)data + (row * 2);
        Span<byte> bytes = stackalloc byte[16];
        // DuckDB stores a UUID as a hugeint with the top bit flipped, so that signed order is UUID order.
        BinaryPrimitives.WriteUInt64BigEndian(bytes, p[1] ^ 0x8000_0000_0000_0000UL);
        BinaryPrimitives.WriteUInt64BigEndian(bytes[8..], p[0]);
        return new Guid(bytes, bigEndian: true);
    }

    /// <summary>An integer of any width (and BOOLEAN, DECIMAL) as a long; overflow is an error, not a wrap.</summary>
    public long ReadInteger(ulong row) => Type.Id switch
    {
        DuckDbType.TinyInt => Read<sbyte>(row),
        DuckDbType.SmallInt => Read<short>(row),
        DuckDbType.Integer => Read<int>(row),
        DuckDbType.BigInt => Read<long>(row),
        DuckDbType.UTinyInt => Read<byte>(row),
        DuckDbType.USmallInt => Read<ushort>(row),
        DuckDbType.UInteger => Read<uint>(row),
        DuckDbType.UBigInt => checked((long)Read<ulong>(row)),
        DuckDbType.HugeInt => checked((long)ReadHugeInt(Data, row)),
        DuckDbType.Boolean => Read<byte>(row),
        DuckDbType.Decimal => decimal.ToInt64(ReadDecimal(row)),
        _ => throw new InvalidCastException($"A {Type.Name} value is not an integer."),
    };

    public decimal ReadDecimal(ulong row)
    {
        Int128 raw = Type.DecimalStorage switch
        {
            DuckDbType.SmallInt => Read<short>(row),
            DuckDbType.Integer => Read<int>(row),
            DuckDbType.BigInt => Read<long>(row),
            _ => ReadHugeInt(Data, row),
        };
        return ToDecimal(raw, Type.DecimalScale, Type.DecimalWidth);
    }

    public static decimal ToDecimal(Int128 raw, byte scale, byte width)
    {
        var negative = raw < 0;
        var magnitude = (UInt128)(negative ? -raw : raw);
        if (scale > 28 || magnitude >> 96 != 0)
        {
            throw new OverflowException($"A DECIMAL({width},{scale}) value does not fit System.Decimal; read it with GetString.");
        }

        return new decimal((int)(uint)magnitude, (int)(uint)(magnitude >> 32), (int)(uint)(magnitude >> 64), negative, scale);
    }

    public string DecimalText(ulong row)
    {
        Int128 raw = Type.DecimalStorage switch
        {
            DuckDbType.SmallInt => Read<short>(row),
            DuckDbType.Integer => Read<int>(row),
            DuckDbType.BigInt => Read<long>(row),
            _ => ReadHugeInt(Data, row),
        };
        var negative = raw < 0;
        var digits = ((UInt128)(negative ? -raw : raw)).ToString(CultureInfo.InvariantCulture);
        var scale = Type.DecimalScale;
        if (scale > 0)
        {
            digits = digits.PadLeft(scale + 1, '0');
            digits = digits[..^scale] + "." + digits[^scale..];
        }

        return negative ? "-" + digits : digits;
    }

    /// <summary>The value as the CLR type <see cref="ColumnType.ClrType"/> names (the caller has checked validity).</summary>
    public object Value(ulong row) => Type.Id switch
    {
        DuckDbType.Boolean => Read<byte>(row) != 0,
        DuckDbType.TinyInt => Read<sbyte>(row),
        DuckDbType.SmallInt => Read<short>(row),
        DuckDbType.Integer => Read<int>(row),
        DuckDbType.BigInt => Read<long>(row),
        DuckDbType.UTinyInt => Read<byte>(row),
        DuckDbType.USmallInt => Read<ushort>(row),
        DuckDbType.UInteger => Read<uint>(row),
        DuckDbType.UBigInt => Read<ulong>(row),
        DuckDbType.HugeInt => ReadHugeInt(Data, row),
        DuckDbType.UHugeInt => (UInt128)ReadHugeInt(Data, row),
        DuckDbType.Float => Read<float>(row),
        DuckDbType.Double => Read<double>(row),
        DuckDbType.Decimal => ReadDecimal(row),
        DuckDbType.Varchar => String(row),
        DuckDbType.Blob => Bytes(row).ToArray(),
        DuckDbType.Date => ToDate(Read<int>(row)),
        DuckDbType.Time => new TimeOnly(Read<long>(row) * 10),
        DuckDbType.TimeNs => new TimeOnly(Read<long>(row) / 100),
        DuckDbType.Timestamp => ToDateTime(Read<long>(row)),
        DuckDbType.TimestampS => ToDateTime(checked(Read<long>(row) * 1_000_000)),
        DuckDbType.TimestampMs => ToDateTime(checked(Read<long>(row) * 1_000)),
        DuckDbType.TimestampNs => new DateTime(UnixEpochTicks + (Read<long>(row) / 100), DateTimeKind.Unspecified),
        DuckDbType.TimestampTz => new DateTimeOffset(ToDateTime(Read<long>(row)).Ticks, TimeSpan.Zero),
        DuckDbType.Interval => Read<DuckDbInterval>(row),
        DuckDbType.Uuid => ToGuid(Data, row),
        DuckDbType.Enum => EnumText(row),
        _ => Text(row),
    };

    public string EnumText(ulong row)
    {
        var index = Type.EnumStorage switch
        {
            DuckDbType.UTinyInt => Read<byte>(row),
            DuckDbType.USmallInt => Read<ushort>(row),
            _ => (int)Read<uint>(row),
        };
        return Type.EnumValues[index];
    }

    /// <summary>The value's text: DuckDB's own form for scalars; nested values as <c>[…]</c>, <c>{'k': v}</c>, <c>{k=v}</c>.</summary>
    public string Text(ulong row)
    {
        if (Type.Id == DuckDbType.Varchar)
        {
            return String(row);
        }

        var builder = new StringBuilder();
        AppendText(builder, row, quoteStrings: false);
        return builder.ToString();
    }

    private void AppendText(StringBuilder b, ulong row, bool quoteStrings)
    {
        if (!IsValid(row))
        {
            b.Append("NULL");
            return;
        }

        var c = CultureInfo.InvariantCulture;
        switch (Type.Id)
        {
            case DuckDbType.Varchar:
            case DuckDbType.Enum:
            {
                var s = Type.Id == DuckDbType.Enum ? EnumText(row) : String(row);
                if (quoteStrings)
                {
                    b.Append('\'').Append(s.Replace("'", "''", StringComparison.Ordinal)).Append('\'');
                }
                else
                {
                    b.Append(s);
                }

                break;
            }

            case DuckDbType.Boolean:
                b.Append(Read<byte>(row) != 0 ? "true" : "false");
                break;
            case DuckDbType.Float:
                b.Append(Read<float>(row).ToString("R", c));
                break;
            case DuckDbType.Double:
                b.Append(Read<double>(row).ToString("R", c));
                break;
            case DuckDbType.Decimal:
                b.Append(DecimalText(row));
                break;
            case DuckDbType.Blob:
                foreach (var octet in Bytes(row))
                {
                    if (octet is >= 32 and < 127 and not (byte)'\\' and not (byte)'\'' and not (byte)'"')
                    {
                        b.Append((char)octet);
                    }
                    else
                    {
                        b.Append("\\x").Append(octet.ToString("X2", c));
                    }
                }

                break;
            case DuckDbType.Date:
                b.Append(ToDate(Read<int>(row)).ToString("yyyy-MM-dd", c));
                break;
            case DuckDbType.Time:
            case DuckDbType.TimeNs:
                b.Append(((TimeOnly)Value(row)).ToString("HH:mm:ss.FFFFFFF", c).TrimEnd('.'));
                break;
            case DuckDbType.TimeTz:
            {
                var bits = Read<ulong>(row);
                var micros = (long)(bits >> 24);
                var offsetSeconds = (16 * 60 * 60) - 1 - (int)(bits & 0xFFFFFF);
                var offset = TimeSpan.FromSeconds(offsetSeconds);
                b.Append(new TimeOnly(micros * 10).ToString("HH:mm:ss.FFFFFF", c).TrimEnd('.'))
                 .Append(offset < TimeSpan.Zero ? '-' : '+')
                 .Append(offset.Duration().ToString(@"hh\:mm", c));
                break;
            }

            case DuckDbType.Timestamp:
            case DuckDbType.TimestampS:
            case DuckDbType.TimestampMs:
            case DuckDbType.TimestampNs:
                b.Append(((DateTime)Value(row)).ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", c).TrimEnd('.'));
                break;
            case DuckDbType.TimestampTz:
                b.Append(((DateTimeOffset)Value(row)).ToString("yyyy-MM-dd HH:mm:ss.FFFFFFzzz", c).Replace(".+", "+", StringComparison.Ordinal));
                break;
            case DuckDbType.Uuid:
                b.Append(ToGuid(Data, row).ToString());
                break;
            case DuckDbType.List:
            case DuckDbType.Map:
            {
                var entry = Read<DuckDbListEntry>(row);
                var child = new Vector(NativeMethods.duckdb_list_vector_get_child(Handle), Type.Children[0]);
                if (Type.Id == DuckDbType.List)
                {
                    b.Append('[');
                    for (ulong i = 0; i < entry.Length; i++)
                    {
                        if (i > 0)
                        {
                            b.Append(", ");
                        }

                        child.AppendText(b, entry.Offset + i, quoteStrings: true);
                    }

                    b.Append(']');
                }
                else
                {
                    var keys = new Vector(NativeMethods.duckdb_struct_vector_get_child(child.Handle, 0), child.Type.Children[0]);
                    var values = new Vector(NativeMethods.duckdb_struct_vector_get_child(child.Handle, 1), child.Type.Children[1]);
                    b.Append('{');
                    for (ulong i = 0; i < entry.Length; i++)
                    {
                        if (i > 0)
                        {
                            b.Append(", ");
                        }

                        keys.AppendText(b, entry.Offset + i, quoteStrings: true);
                        b.Append('=');
                        values.AppendText(b, entry.Offset + i, quoteStrings: true);
                    }

                    b.Append('}');
                }

                break;
            }

            case DuckDbType.Array:
            {
                var child = new Vector(NativeMethods.duckdb_array_vector_get_child(Handle), Type.Children[0]);
                b.Append('[');
                for (ulong i = 0; i < Type.ArraySize; i++)
                {
                    if (i > 0)
                    {
                        b.Append(", ");
                    }

                    child.AppendText(b, (row * Type.ArraySize) + i, quoteStrings: true);
                }

                b.Append(']');
                break;
            }

            case DuckDbType.Struct:
            {
                b.Append('{');
                for (var i = 0; i < Type.Children.Count; i++)
                {
                    if (i > 0)
                    {
                        b.Append(", ");
                    }

                    var field = new Vector(NativeMethods.duckdb_struct_vector_get_child(Handle, (ulong)i), Type.Children[i]);
                    b.Append('\'').Append(Type.ChildNames[i]).Append("': ");
                    field.AppendText(b, row, quoteStrings: true);
                }

                b.Append('}');
                break;
            }

            case DuckDbType.Union:
            {
                // Member 0 of a union's struct is the tag; members 1.. are the alternatives.
                var tag = new Vector(NativeMethods.duckdb_struct_vector_get_child(Handle, 0), Type.Children[0]);
                var chosen = tag.Read<byte>(row) + 1;
                new Vector(NativeMethods.duckdb_struct_vector_get_child(Handle, (ulong)chosen), Type.Children[chosen]).AppendText(b, row, quoteStrings);
                break;
            }

            default:
            {
                if (Type.ClrType == typeof(string))
                {
                    // A type with no text form of ours (BIT, BIGNUM …): name it rather than guess.
                    b.Append('<').Append(Type.Name).Append('>');
                    break;
                }

                var value = Value(row);
                b.Append(value is IFormattable f ? f.ToString(null, c) : value.ToString());
                break;
            }
        }
    }
}
