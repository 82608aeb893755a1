using System.Runtime.InteropServices;
using DataHub.DuckDb.Internal;
using DataHub.DuckDb.Native;

namespace DataHub.DuckDb;

/// <summary>
/// A scalar function written in C# and callable from SQL, vectorised: the body runs once per chunk.
/// Registered on a connection, it is visible to every connection of that database.
/// </summary>
/// <example>
/// <code>
/// connection.RegisterScalarFunction(DuckDbScalarFunction.Create("shout", (string s) => s.ToUpperInvariant()));
/// </code>
/// </example>
public sealed class DuckDbScalarFunction
{
    /// <summary>Creates a function from its signature and a chunk-wise body.</summary>
    public DuckDbScalarFunction(string name, IReadOnlyList<DuckDbType> parameters, DuckDbType returnType, DuckDbScalarFunctionBody body)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
        Parameters = parameters ?? throw new ArgumentNullException(nameof(parameters));
        ReturnType = returnType;
        Body = body ?? throw new ArgumentNullException(nameof(body));
    }

    /// <summary>The SQL name.</summary>
    public string Name { get; }

    /// <summary>Argument types; DuckDB casts arguments to them.</summary>
    public IReadOnlyList<DuckDbType> Parameters { get; }

    /// <summary>The result type.</summary>
    public DuckDbType ReturnType { get; }

    /// <summary>The chunk-wise body.</summary>
    public DuckDbScalarFunctionBody Body { get; }

    /// <summary>True when results may differ for equal arguments (DuckDB then never folds or caches calls).</summary>
    public bool IsVolatile { get; init; }

    /// <summary>
    /// A one-argument function from a per-value delegate: NULL in gives NULL out, and the loop over the chunk
    /// runs here. Supported CLR types: string, long, int, double, bool.
    /// </summary>
    public static DuckDbScalarFunction Create<TArg, TResult>(string name, Func<TArg, TResult?> func)
    {
        ArgumentNullException.ThrowIfNull(func);
        var read = Reader<TArg>();
        var write = Writer<TResult>();
        return new DuckDbScalarFunction(name, [TypeOf(typeof(TArg))], TypeOf(typeof(TResult)), (input, output) =>
        {
            for (var row = 0; row < input.RowCount; row++)
            {
                if (input.IsNull(0, row))
                {
                    output.SetNull(row);
                    continue;
                }

                var result = func(read(input, 0, row));
                if (result is null)
                {
                    output.SetNull(row);
                }
                else
                {
                    write(output, row, result);
                }
            }
        });
    }

    /// <summary>A two-argument function from a per-value delegate; NULL in either argument gives NULL.</summary>
    public static DuckDbScalarFunction Create<TArg1, TArg2, TResult>(string name, Func<TArg1, TArg2, TResult?> func)
    {
        ArgumentNullException.ThrowIfNull(func);
        var read1 = Reader<TArg1>();
        var read2 = Reader<TArg2>();
        var write = Writer<TResult>();
        return new DuckDbScalarFunction(name, [TypeOf(typeof(TArg1)), TypeOf(typeof(TArg2))], TypeOf(typeof(TResult)), (input, output) =>
        {
            for (var row = 0; row < input.RowCount; row++)
            {
                if (input.IsNull(0, row) || input.IsNull(1, row))
                {
                    output.SetNull(row);
                    continue;
                }

                var result = func(read1(input, 0, row), read2(input, 1, row));
                if (result is null)
                {
                    output.SetNull(row);
                }
                else
                {
                    write(output, row, result);
                }
            }
        });
    }

    internal void Register(DuckDbConnection connection)
    {
        connection.EnsureReady();
        using var function = NativeMethods.duckdb_create_scalar_function();
        NativeMethods.duckdb_scalar_function_set_name(function, Name);
        foreach (var parameter in Parameters)
        {
            using var type = NativeMethods.duckdb_create_logical_type(parameter);
            NativeMethods.duckdb_scalar_function_add_parameter(function, type);
        }

        using (var type = NativeMethods.duckdb_create_logical_type(ReturnType))
        {
            NativeMethods.duckdb_scalar_function_set_return_type(function, type);
        }

        if (IsVolatile)
        {
            NativeMethods.duckdb_scalar_function_set_volatile(function);
        }

        // NULL arguments reach the body, which owns their handling.
        NativeMethods.duckdb_scalar_function_set_special_handling(function);
        var self = GCHandle.Alloc(this);
        unsafe
        {
            NativeMethods.duckdb_scalar_function_set_extra_info(function, GCHandle.ToIntPtr(self), &ScalarFunctionTrampoline.Release);
            NativeMethods.duckdb_scalar_function_set_function(function, &ScalarFunctionTrampoline.Invoke);
        }

        if (NativeMethods.duckdb_register_scalar_function(connection.NativeHandle, function) != DuckDbState.Success)
        {
            throw new DuckDbException($"DuckDB refused the scalar function '{Name}' (is a function of that name and signature already registered?).", DuckDbErrorType.Catalog);
        }
    }

    private static DuckDbType TypeOf(Type type) => type switch
    {
        _ when type == typeof(string) => DuckDbType.Varchar,
        _ when type == typeof(long) => DuckDbType.BigInt,
        _ when type == typeof(int) => DuckDbType.Integer,
        _ when type == typeof(double) => DuckDbType.Double,
        _ when type == typeof(bool) => DuckDbType.Boolean,
        _ when Nullable.GetUnderlyingType(type) is { } inner => TypeOf(inner),
        _ => throw new NotSupportedException($"Scalar functions from delegates take string, long, int, double or bool, not {type.Name}."),
    };

    private static Func<DuckDbFunctionInput, int, int, T> Reader<T>()
    {
        object reader = TypeOf(typeof(T)) switch
        {
            DuckDbType.Varchar => (Func<DuckDbFunctionInput, int, int, string>)((i, a, r) => i.GetString(a, r)),
            DuckDbType.BigInt => (Func<DuckDbFunctionInput, int, int, long>)((i, a, r) => i.GetInt64(a, r)),
            DuckDbType.Integer => (Func<DuckDbFunctionInput, int, int, int>)((i, a, r) => (int)i.GetInt64(a, r)),
            DuckDbType.Double => (Func<DuckDbFunctionInput, int, int, double>)((i, a, r) => i.GetDouble(a, r)),
            _ => (Func<DuckDbFunctionInput, int, int, bool>)((i, a, r) => i.GetBoolean(a, r)),
        };
        return (Func<DuckDbFunctionInput, int, int, T>)reader;
    }

    private static Action<DuckDbFunctionOutput, int, TResult> Writer<TResult>()
    {
        var type = TypeOf(typeof(TResult));
        return type switch
        {
            DuckDbType.Varchar => (o, r, v) => o.SetString(r, (string)(object)v!),
            DuckDbType.BigInt => (o, r, v) => o.SetInt64(r, Convert.ToInt64(v, System.Globalization.CultureInfo.InvariantCulture)),
            DuckDbType.Integer => (o, r, v) => o.SetInt32(r, Convert.ToInt32(v, System.Globalization.CultureInfo.InvariantCulture)),
            DuckDbType.Double => (o, r, v) => o.SetDouble(r, Convert.ToDouble(v, System.Globalization.CultureInfo.InvariantCulture)),
            _ => (o, r, v) => o.SetBoolean(r, Convert.ToBoolean(v, System.Globalization.CultureInfo.InvariantCulture)),
        };
    }
}
