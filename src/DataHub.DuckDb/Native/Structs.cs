using System.Runtime.InteropServices;

namespace DataHub.DuckDb.Native;

/// <summary><c>duckdb_result</c>: six pointer-sized fields; only <c>internal_data</c> matters to us.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct DuckDbResultStruct
{
    public ulong DeprecatedColumnCount;
    public ulong DeprecatedRowCount;
    public ulong DeprecatedRowsChanged;
    public nint DeprecatedColumns;
    public nint DeprecatedErrorMessage;
    public nint InternalData;
}

/// <summary><c>duckdb_hugeint</c>: value = upper * 2^64 + lower.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct DuckDbHugeInt
{
    public ulong Lower;
    public long Upper;
}

/// <summary><c>duckdb_uhugeint</c>.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct DuckDbUHugeInt
{
    public ulong Lower;
    public ulong Upper;
}

/// <summary><c>duckdb_decimal</c>.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct DuckDbDecimalStruct
{
    public byte Width;
    public byte Scale;
    public DuckDbHugeInt Value;
}

/// <summary><c>duckdb_query_progress_type</c>.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct DuckDbQueryProgressStruct
{
    public double Percentage;
    public ulong RowsProcessed;
    public ulong TotalRowsToProcess;
}

/// <summary><c>duckdb_list_entry</c>.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct DuckDbListEntry
{
    public ulong Offset;
    public ulong Length;
}

/// <summary><c>duckdb_state</c>.</summary>
internal enum DuckDbState
{
    Success = 0,
    Error = 1,
}

/// <summary><c>duckdb_pending_state</c>.</summary>
internal enum DuckDbPendingState
{
    ResultReady = 0,
    ResultNotReady = 1,
    Error = 2,
    NoTasksAvailable = 3,
}
