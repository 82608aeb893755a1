using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace DataHub.DuckDb.Native;

// One SafeHandle per owned DuckDB object: a handle is released exactly once, even when a caller forgets Dispose
// or an exception unwinds mid-way. The C API's destroy functions take a pointer to the handle, hence the local copy.

/// <summary>Owns a <c>duckdb_database</c>.</summary>
internal sealed class DatabaseHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public DatabaseHandle() : base(ownsHandle: true) { }

    protected override bool ReleaseHandle()
    {
        var h = handle;
        NativeMethods.duckdb_close(ref h);
        return true;
    }
}

/// <summary>Owns a <c>duckdb_connection</c>.</summary>
internal sealed class ConnectionHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public ConnectionHandle() : base(ownsHandle: true) { }

    protected override bool ReleaseHandle()
    {
        var h = handle;
        NativeMethods.duckdb_disconnect(ref h);
        return true;
    }
}

/// <summary>Owns a <c>duckdb_config</c>.</summary>
internal sealed class ConfigHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public ConfigHandle() : base(ownsHandle: true) { }

    protected override bool ReleaseHandle()
    {
        var h = handle;
        NativeMethods.duckdb_destroy_config(ref h);
        return true;
    }
}

/// <summary>Owns a <c>duckdb_prepared_statement</c>.</summary>
internal sealed class PreparedStatementHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public PreparedStatementHandle() : base(ownsHandle: true) { }

    protected override bool ReleaseHandle()
    {
        var h = handle;
        NativeMethods.duckdb_destroy_prepare(ref h);
        return true;
    }
}

/// <summary>Owns a <c>duckdb_extracted_statements</c>.</summary>
internal sealed class ExtractedStatementsHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public ExtractedStatementsHandle() : base(ownsHandle: true) { }

    protected override bool ReleaseHandle()
    {
        var h = handle;
        NativeMethods.duckdb_destroy_extracted(ref h);
        return true;
    }
}

/// <summary>Owns a <c>duckdb_pending_result</c>.</summary>
internal sealed class PendingResultHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public PendingResultHandle() : base(ownsHandle: true) { }

    protected override bool ReleaseHandle()
    {
        var h = handle;
        NativeMethods.duckdb_destroy_pending(ref h);
        return true;
    }
}

/// <summary>
/// Owns a <c>duckdb_result</c>. The struct itself lives in native memory we allocate, so its address stays
/// fixed for the C API, which takes <c>duckdb_result*</c>.
/// </summary>
internal sealed unsafe class ResultHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public ResultHandle() : base(ownsHandle: true) =>
        SetHandle((nint)NativeMemory.AllocZeroed((nuint)sizeof(DuckDbResultStruct)));

    public DuckDbResultStruct* Pointer => (DuckDbResultStruct*)handle;

    protected override bool ReleaseHandle()
    {
        NativeMethods.duckdb_destroy_result(handle);
        NativeMemory.Free((void*)handle);
        return true;
    }
}

/// <summary>Owns a <c>duckdb_data_chunk</c>.</summary>
internal sealed class DataChunkHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public DataChunkHandle() : base(ownsHandle: true) { }

    public DataChunkHandle(nint existing) : base(ownsHandle: true) => SetHandle(existing);

    protected override bool ReleaseHandle()
    {
        var h = handle;
        NativeMethods.duckdb_destroy_data_chunk(ref h);
        return true;
    }
}

/// <summary>Owns a <c>duckdb_appender</c>; destroying it flushes and closes it.</summary>
internal sealed class AppenderHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public AppenderHandle() : base(ownsHandle: true) { }

    protected override bool ReleaseHandle()
    {
        var h = handle;
        return NativeMethods.duckdb_appender_destroy(ref h) == DuckDbState.Success;
    }
}

/// <summary>Owns a <c>duckdb_logical_type</c>.</summary>
internal sealed class LogicalTypeHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public LogicalTypeHandle() : base(ownsHandle: true) { }

    protected override bool ReleaseHandle()
    {
        var h = handle;
        NativeMethods.duckdb_destroy_logical_type(ref h);
        return true;
    }
}

/// <summary>Owns a <c>duckdb_value</c>.</summary>
internal sealed class ValueHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public ValueHandle() : base(ownsHandle: true) { }

    protected override bool ReleaseHandle()
    {
        var h = handle;
        NativeMethods.duckdb_destroy_value(ref h);
        return true;
    }
}

/// <summary>Owns a <c>duckdb_scalar_function</c> until it is registered.</summary>
internal sealed class ScalarFunctionHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public ScalarFunctionHandle() : base(ownsHandle: true) { }

    protected override bool ReleaseHandle()
    {
        var h = handle;
        NativeMethods.duckdb_destroy_scalar_function(ref h);
        return true;
    }
}
