using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using DataHub.DuckDb.Native;

namespace DataHub.DuckDb.Internal;

/// <summary>The native entry points DuckDB calls for C# scalar functions. No exception may cross back into C++.</summary>
internal static class ScalarFunctionTrampoline
{
    [UnmanagedCallersOnly]
    internal static void Invoke(nint info, nint chunk, nint output)
    {
        try
        {
            var function = (DuckDbScalarFunction)GCHandle.FromIntPtr(NativeMethods.duckdb_scalar_function_get_extra_info(info)).Target!;
            function.Body(new DuckDbFunctionInput(chunk, function.Parameters), new DuckDbFunctionOutput(output, function.ReturnType));
        }
#pragma warning disable CA1031 // Every failure becomes DuckDB's query error instead of crashing the process.
        catch (Exception e)
#pragma warning restore CA1031
        {
            NativeMethods.duckdb_scalar_function_set_error(info, $"{e.GetType().Name}: {e.Message}");
        }
    }

    [UnmanagedCallersOnly]
    internal static void Release(nint extraInfo)
    {
        if (extraInfo != 0)
        {
            GCHandle.FromIntPtr(extraInfo).Free();
        }
    }
}
