using System.Globalization;
using System.Runtime.InteropServices;
using DataHub.DuckDb.Native;

namespace DataHub.DuckDb.Internal;

/// <summary>
/// A logical type read once per result column (and recursively for nested types), so reading a value never
/// goes back to the C API for type details.
/// </summary>
internal sealed class ColumnType
{
    private ColumnType(DuckDbType id) => Id = id;

    public DuckDbType Id { get; }

    /// <summary>For DECIMAL: the physical storage type (SMALLINT, INTEGER, BIGINT or HUGEINT).</summary>
    public DuckDbType DecimalStorage { get; private init; }

    public byte DecimalWidth { get; private init; }

    public byte DecimalScale { get; private init; }

    /// <summary>For ENUM: the physical index type and the dictionary.</summary>
    public DuckDbType EnumStorage { get; private init; }

    public IReadOnlyList<string> EnumValues { get; private init; } = [];

    /// <summary>Children: the element type of LIST/ARRAY/MAP (a STRUCT of key and value for MAP), or STRUCT fields.</summary>
    public IReadOnlyList<ColumnType> Children { get; private init; } = [];

    public IReadOnlyList<string> ChildNames { get; private init; } = [];

    public ulong ArraySize { get; private init; }

    public string Name { get; private init; } = string.Empty;

    /// <summary>A type without parameters (not DECIMAL, ENUM or nested).</summary>
    public static ColumnType Of(DuckDbType id) => new(id) { Name = SqlName(id) };

    public static ColumnType FromHandle(LogicalTypeHandle handle)
    {
        var id = NativeMethods.duckdb_get_type_id(handle);
        switch (id)
        {
            case DuckDbType.Decimal:
            {
                var width = NativeMethods.duckdb_decimal_width(handle);
                var scale = NativeMethods.duckdb_decimal_scale(handle);
                return new ColumnType(id)
                {
                    DecimalWidth = width,
                    DecimalScale = scale,
                    DecimalStorage = NativeMethods.duckdb_decimal_internal_type(handle),
                    Name = string.Create(CultureInfo.InvariantCulture, $"DECIMAL({width},{scale})"),
                };
            }
            case DuckDbType.Enum:
            {
                var size = NativeMethods.duckdb_enum_dictionary_size(handle);
                var values = new string[size];
                for (uint i = 0; i < size; i++)
                {
                    values[i] = TakeNativeString(NativeMethods.duckdb_enum_dictionary_value(handle, i));
                }

                return new ColumnType(id) { EnumStorage = NativeMethods.duckdb_enum_internal_type(handle), EnumValues = values, Name = "ENUM" };
            }
            case DuckDbType.List:
            case DuckDbType.Map:
            {
                using var child = NativeMethods.duckdb_list_type_child_type(handle);
                var element = FromHandle(child);
                var name = id == DuckDbType.List
                    ? element.Name + "[]"
                    : $"MAP({element.Children[0].Name}, {element.Children[1].Name})";
                return new ColumnType(id) { Children = [element], Name = name };
            }
            case DuckDbType.Array:
            {
                using var child = NativeMethods.duckdb_array_type_child_type(handle);
                var element = FromHandle(child);
                var size = NativeMethods.duckdb_array_type_array_size(handle);
                return new ColumnType(id)
                {
                    Children = [element],
                    ArraySize = size,
                    Name = string.Create(CultureInfo.InvariantCulture, $"{element.Name}[{size}]"),
                };
            }
            case DuckDbType.Struct:
            case DuckDbType.Union:
            {
                var count = NativeMethods.duckdb_struct_type_child_count(handle);
                var children = new ColumnType[count];
                var names = new string[count];
                for (ulong i = 0; i < count; i++)
                {
                    names[i] = TakeNativeString(NativeMethods.duckdb_struct_type_child_name(handle, i));
                    using var child = NativeMethods.duckdb_struct_type_child_type(handle, i);
                    children[i] = FromHandle(child);
                }

                var fields = string.Join(", ", names.Select((n, i) => $"{n} {children[i].Name}"));
                return new ColumnType(id) { Children = children, ChildNames = names, Name = (id == DuckDbType.Struct ? "STRUCT(" : "UNION(") + fields + ")" };
            }
            default:
                return new ColumnType(id) { Name = SqlName(id) };
        }
    }

    /// <summary>The CLR type <see cref="DuckDbDataReader.GetValue"/> returns for this column.</summary>
    public Type ClrType => Id switch
    {
        DuckDbType.Boolean => typeof(bool),
        DuckDbType.TinyInt => typeof(sbyte),
        DuckDbType.SmallInt => typeof(short),
        DuckDbType.Integer => typeof(int),
        DuckDbType.BigInt => typeof(long),
        DuckDbType.UTinyInt => typeof(byte),
        DuckDbType.USmallInt => typeof(ushort),
        DuckDbType.UInteger => typeof(uint),
        DuckDbType.UBigInt => typeof(ulong),
        DuckDbType.HugeInt => typeof(Int128),
        DuckDbType.UHugeInt => typeof(UInt128),
        DuckDbType.Float => typeof(float),
        DuckDbType.Double => typeof(double),
        DuckDbType.Decimal => typeof(decimal),
        DuckDbType.Varchar or DuckDbType.Enum => typeof(string),
        DuckDbType.Blob => typeof(byte[]),
        DuckDbType.Date => typeof(DateOnly),
        DuckDbType.Time or DuckDbType.TimeNs => typeof(TimeOnly),
        DuckDbType.Timestamp or DuckDbType.TimestampS or DuckDbType.TimestampMs or DuckDbType.TimestampNs => typeof(DateTime),
        DuckDbType.TimestampTz => typeof(DateTimeOffset),
        DuckDbType.Interval => typeof(DuckDbInterval),
        DuckDbType.Uuid => typeof(Guid),
        _ => typeof(string),
    };

    internal static string TakeNativeString(nint pointer)
    {
        if (pointer == 0)
        {
            return string.Empty;
        }

        try
        {
            return Marshal.PtrToStringUTF8(pointer) ?? string.Empty;
        }
        finally
        {
            NativeMethods.duckdb_free(pointer);
        }
    }

    private static string SqlName(DuckDbType id) => id switch
    {
        DuckDbType.Boolean => "BOOLEAN",
        DuckDbType.TinyInt => "TINYINT",
        DuckDbType.SmallInt => "SMALLINT",
        DuckDbType.Integer => "INTEGER",
        DuckDbType.BigInt => "BIGINT",
        DuckDbType.UTinyInt => "UTINYINT",
        DuckDbType.USmallInt => "USMALLINT",
        DuckDbType.UInteger => "UINTEGER",
        DuckDbType.UBigInt => "UBIGINT",
        DuckDbType.HugeInt => "HUGEINT",
        DuckDbType.UHugeInt => "UHUGEINT",
        DuckDbType.Float => "FLOAT",
        DuckDbType.Double => "DOUBLE",
        DuckDbType.Varchar => "VARCHAR",
        DuckDbType.Blob => "BLOB",
        DuckDbType.Date => "DATE",
        DuckDbType.Time => "TIME",
        DuckDbType.TimeTz => "TIME WITH TIME ZONE",
        DuckDbType.TimeNs => "TIME_NS",
        DuckDbType.Timestamp => "TIMESTAMP",
        DuckDbType.TimestampS => "TIMESTAMP_S",
        DuckDbType.TimestampMs => "TIMESTAMP_MS",
        DuckDbType.TimestampNs => "TIMESTAMP_NS",
        DuckDbType.TimestampTz => "TIMESTAMP WITH TIME ZONE",
        DuckDbType.Interval => "INTERVAL",
        DuckDbType.Uuid => "UUID",
        DuckDbType.Bit => "BIT",
        DuckDbType.BigNum => "BIGNUM",
        DuckDbType.SqlNull => "NULL",
        _ => id.ToString().ToUpperInvariant(),
    };
}
