using System.Runtime.InteropServices;

namespace DataHub.DuckDb.Native;

/// <summary>
/// The DuckDB C API (<c>duckdb.h</c>, DuckDB 1.5), declared with <c>[LibraryImport]</c> and the exact C names.
/// Grouped by the header's chapters in partial files. Handles we own travel as SafeHandles; borrowed pointers
/// (vectors, validity masks, column names) as <c>nint</c>.
/// </summary>
internal static unsafe partial class NativeMethods
{
    private const string Lib = NativeLibraryLoader.LibraryName;

    static NativeMethods() => NativeLibraryLoader.Register(typeof(NativeMethods).Assembly);

    // ---- Open / connect ----------------------------------------------------------------------------------

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial DuckDbState duckdb_open_ext(string? path, out DatabaseHandle database, ConfigHandle config, out nint error);

    [LibraryImport(Lib)]
    internal static partial void duckdb_close(ref nint database);

    [LibraryImport(Lib)]
    internal static partial DuckDbState duckdb_connect(DatabaseHandle database, out ConnectionHandle connection);

    [LibraryImport(Lib)]
    internal static partial void duckdb_interrupt(ConnectionHandle connection);

    [LibraryImport(Lib)]
    internal static partial DuckDbQueryProgressStruct duckdb_query_progress(ConnectionHandle connection);

    [LibraryImport(Lib)]
    internal static partial void duckdb_disconnect(ref nint connection);

    [LibraryImport(Lib)]
    internal static partial nint duckdb_library_version();

    [LibraryImport(Lib)]
    internal static partial void duckdb_free(nint ptr);

    // ---- Configuration -----------------------------------------------------------------------------------

    [LibraryImport(Lib)]
    internal static partial DuckDbState duckdb_create_config(out ConfigHandle config);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial DuckDbState duckdb_set_config(ConfigHandle config, string name, string option);

    [LibraryImport(Lib)]
    internal static partial void duckdb_destroy_config(ref nint config);

    // ---- Results -----------------------------------------------------------------------------------------

    [LibraryImport(Lib)]
    internal static partial void duckdb_destroy_result(nint result);

    [LibraryImport(Lib)]
    internal static partial nint duckdb_column_name(ResultHandle result, ulong column);

    [LibraryImport(Lib)]
    internal static partial DuckDbType duckdb_column_type(ResultHandle result, ulong column);

    [LibraryImport(Lib)]
    internal static partial LogicalTypeHandle duckdb_column_logical_type(ResultHandle result, ulong column);

    [LibraryImport(Lib)]
    internal static partial ulong duckdb_column_count(ResultHandle result);

    [LibraryImport(Lib)]
    internal static partial ulong duckdb_rows_changed(ResultHandle result);

    [LibraryImport(Lib)]
    internal static partial nint duckdb_result_error(ResultHandle result);

    [LibraryImport(Lib)]
    internal static partial DuckDbErrorType duckdb_result_error_type(ResultHandle result);

    [LibraryImport(Lib)]
    internal static partial nint duckdb_fetch_chunk(DuckDbResultStruct result);

    /// <summary><c>duckdb_statement_type</c>: 1 is SELECT.</summary>
    [LibraryImport(Lib)]
    internal static partial int duckdb_result_statement_type(DuckDbResultStruct result);

    // ---- Prepared statements and extraction --------------------------------------------------------------

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial DuckDbState duckdb_prepare(ConnectionHandle connection, string query, out PreparedStatementHandle statement);

    [LibraryImport(Lib)]
    internal static partial void duckdb_destroy_prepare(ref nint statement);

    [LibraryImport(Lib)]
    internal static partial nint duckdb_prepare_error(PreparedStatementHandle statement);

    [LibraryImport(Lib)]
    internal static partial ulong duckdb_nparams(PreparedStatementHandle statement);

    [LibraryImport(Lib)]
    internal static partial nint duckdb_parameter_name(PreparedStatementHandle statement, ulong index);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial DuckDbState duckdb_bind_parameter_index(PreparedStatementHandle statement, out ulong index, string name);

    [LibraryImport(Lib)]
    internal static partial DuckDbState duckdb_clear_bindings(PreparedStatementHandle statement);

    [LibraryImport(Lib)]
    internal static partial DuckDbState duckdb_bind_value(PreparedStatementHandle statement, ulong index, ValueHandle value);

    [LibraryImport(Lib)]
    internal static partial DuckDbState duckdb_bind_null(PreparedStatementHandle statement, ulong index);

    [LibraryImport(Lib)]
    internal static partial DuckDbState duckdb_bind_boolean(PreparedStatementHandle statement, ulong index, [MarshalAs(UnmanagedType.U1)] bool value);

    [LibraryImport(Lib)]
    internal static partial DuckDbState duckdb_bind_int8(PreparedStatementHandle statement, ulong index, sbyte value);

    [LibraryImport(Lib)]
    internal static partial DuckDbState duckdb_bind_int16(PreparedStatementHandle statement, ulong index, short value);

    [LibraryImport(Lib)]
    internal static partial DuckDbState duckdb_bind_int32(PreparedStatementHandle statement, ulong index, int value);

    [LibraryImport(Lib)]
    internal static partial DuckDbState duckdb_bind_int64(PreparedStatementHandle statement, ulong index, long value);

    [LibraryImport(Lib)]
    internal static partial DuckDbState duckdb_bind_uint8(PreparedStatementHandle statement, ulong index, byte value);

    [LibraryImport(Lib)]
    internal static partial DuckDbState duckdb_bind_uint16(PreparedStatementHandle statement, ulong index, ushort value);

    [LibraryImport(Lib)]
    internal static partial DuckDbState duckdb_bind_uint32(PreparedStatementHandle statement, ulong index, uint value);

    [LibraryImport(Lib)]
    internal static partial DuckDbState duckdb_bind_uint64(PreparedStatementHandle statement, ulong index, ulong value);

    [LibraryImport(Lib)]
    internal static partial DuckDbState duckdb_bind_hugeint(PreparedStatementHandle statement, ulong index, DuckDbHugeInt value);

    [LibraryImport(Lib)]
    internal static partial DuckDbState duckdb_bind_uhugeint(PreparedStatementHandle statement, ulong index, DuckDbUHugeInt value);

    [LibraryImport(Lib)]
    internal static partial DuckDbState duckdb_bind_float(PreparedStatementHandle statement, ulong index, float value);

    [LibraryImport(Lib)]
    internal static partial DuckDbState duckdb_bind_double(PreparedStatementHandle statement, ulong index, double value);

    [LibraryImport(Lib)]
    internal static partial DuckDbState duckdb_bind_date(PreparedStatementHandle statement, ulong index, int days);

    [LibraryImport(Lib)]
    internal static partial DuckDbState duckdb_bind_time(PreparedStatementHandle statement, ulong index, long micros);

    [LibraryImport(Lib)]
    internal static partial DuckDbState duckdb_bind_timestamp(PreparedStatementHandle statement, ulong index, long micros);

    [LibraryImport(Lib)]
    internal static partial DuckDbState duckdb_bind_timestamp_tz(PreparedStatementHandle statement, ulong index, long micros);

    [LibraryImport(Lib)]
    internal static partial DuckDbState duckdb_bind_interval(PreparedStatementHandle statement, ulong index, DuckDbInterval value);

    [LibraryImport(Lib)]
    internal static partial DuckDbState duckdb_bind_varchar_length(PreparedStatementHandle statement, ulong index, byte* value, ulong length);

    [LibraryImport(Lib)]
    internal static partial DuckDbState duckdb_bind_blob(PreparedStatementHandle statement, ulong index, byte* data, ulong length);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial ulong duckdb_extract_statements(ConnectionHandle connection, string query, out ExtractedStatementsHandle statements);

    [LibraryImport(Lib)]
    internal static partial DuckDbState duckdb_prepare_extracted_statement(ConnectionHandle connection, ExtractedStatementsHandle statements, ulong index, out PreparedStatementHandle statement);

    [LibraryImport(Lib)]
    internal static partial nint duckdb_extract_statements_error(ExtractedStatementsHandle statements);

    [LibraryImport(Lib)]
    internal static partial void duckdb_destroy_extracted(ref nint statements);

    // ---- Pending results (progress and interrupt) --------------------------------------------------------

    [LibraryImport(Lib)]
    internal static partial DuckDbState duckdb_pending_prepared(PreparedStatementHandle statement, out PendingResultHandle pending);

    [LibraryImport(Lib)]
    internal static partial DuckDbState duckdb_pending_prepared_streaming(PreparedStatementHandle statement, out PendingResultHandle pending);

    [LibraryImport(Lib)]
    internal static partial void duckdb_destroy_pending(ref nint pending);

    [LibraryImport(Lib)]
    internal static partial nint duckdb_pending_error(PendingResultHandle pending);

    [LibraryImport(Lib)]
    internal static partial DuckDbPendingState duckdb_pending_execute_task(PendingResultHandle pending);

    [LibraryImport(Lib)]
    internal static partial DuckDbState duckdb_execute_pending(PendingResultHandle pending, ResultHandle result);

    [LibraryImport(Lib)]
    [return: MarshalAs(UnmanagedType.U1)]
    internal static partial bool duckdb_pending_execution_is_finished(DuckDbPendingState state);

    // ---- Values ------------------------------------------------------------------------------------------

    [LibraryImport(Lib)]
    internal static partial void duckdb_destroy_value(ref nint value);

    [LibraryImport(Lib)]
    internal static partial ValueHandle duckdb_create_decimal(DuckDbDecimalStruct value);

    [LibraryImport(Lib)]
    internal static partial ValueHandle duckdb_create_uuid(DuckDbUHugeInt value);
}
