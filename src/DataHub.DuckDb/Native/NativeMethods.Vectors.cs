using System.Runtime.InteropServices;

namespace DataHub.DuckDb.Native;

internal static unsafe partial class NativeMethods
{
    // ---- Data chunks and vectors -------------------------------------------------------------------------

    [LibraryImport(Lib)]
    internal static partial void duckdb_destroy_data_chunk(ref nint chunk);

    [LibraryImport(Lib)]
    internal static partial ulong duckdb_data_chunk_get_size(nint chunk);

    [LibraryImport(Lib)]
    internal static partial ulong duckdb_data_chunk_get_column_count(nint chunk);

    [LibraryImport(Lib)]
    internal static partial nint duckdb_data_chunk_get_vector(nint chunk, ulong column);

    [LibraryImport(Lib)]
    internal static partial void* duckdb_vector_get_data(nint vector);

    [LibraryImport(Lib)]
    internal static partial ulong* duckdb_vector_get_validity(nint vector);

    [LibraryImport(Lib)]
    internal static partial void duckdb_vector_ensure_validity_writable(nint vector);

    [LibraryImport(Lib)]
    internal static partial void duckdb_vector_assign_string_element_len(nint vector, ulong index, byte* value, ulong length);

    [LibraryImport(Lib)]
    internal static partial nint duckdb_list_vector_get_child(nint vector);

    [LibraryImport(Lib)]
    internal static partial ulong duckdb_list_vector_get_size(nint vector);

    [LibraryImport(Lib)]
    internal static partial nint duckdb_struct_vector_get_child(nint vector, ulong index);

    [LibraryImport(Lib)]
    internal static partial nint duckdb_array_vector_get_child(nint vector);

    // ---- Logical types -----------------------------------------------------------------------------------

    [LibraryImport(Lib)]
    internal static partial LogicalTypeHandle duckdb_create_logical_type(DuckDbType type);

    [LibraryImport(Lib)]
    internal static partial LogicalTypeHandle duckdb_create_decimal_type(byte width, byte scale);

    [LibraryImport(Lib)]
    internal static partial DuckDbType duckdb_get_type_id(LogicalTypeHandle type);

    [LibraryImport(Lib)]
    internal static partial byte duckdb_decimal_width(LogicalTypeHandle type);

    [LibraryImport(Lib)]
    internal static partial byte duckdb_decimal_scale(LogicalTypeHandle type);

    [LibraryImport(Lib)]
    internal static partial DuckDbType duckdb_decimal_internal_type(LogicalTypeHandle type);

    [LibraryImport(Lib)]
    internal static partial DuckDbType duckdb_enum_internal_type(LogicalTypeHandle type);

    [LibraryImport(Lib)]
    internal static partial uint duckdb_enum_dictionary_size(LogicalTypeHandle type);

    [LibraryImport(Lib)]
    internal static partial nint duckdb_enum_dictionary_value(LogicalTypeHandle type, ulong index);

    [LibraryImport(Lib)]
    internal static partial LogicalTypeHandle duckdb_list_type_child_type(LogicalTypeHandle type);

    [LibraryImport(Lib)]
    internal static partial LogicalTypeHandle duckdb_array_type_child_type(LogicalTypeHandle type);

    [LibraryImport(Lib)]
    internal static partial ulong duckdb_array_type_array_size(LogicalTypeHandle type);

    [LibraryImport(Lib)]
    internal static partial ulong duckdb_struct_type_child_count(LogicalTypeHandle type);

    [LibraryImport(Lib)]
    internal static partial nint duckdb_struct_type_child_name(LogicalTypeHandle type, ulong index);

    [LibraryImport(Lib)]
    internal static partial LogicalTypeHandle duckdb_struct_type_child_type(LogicalTypeHandle type, ulong index);

    [LibraryImport(Lib)]
    internal static partial void duckdb_destroy_logical_type(ref nint type);

    // ---- Appender ----------------------------------------------------------------------------------------

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial DuckDbState duckdb_appender_create(ConnectionHandle connection, string? schema, string table, out AppenderHandle appender);

    [LibraryImport(Lib)]
    internal static partial nint duckdb_appender_error(AppenderHandle appender);

    [LibraryImport(Lib)]
    internal static partial DuckDbState duckdb_appender_flush(AppenderHandle appender);

    [LibraryImport(Lib)]
    internal static partial DuckDbState duckdb_appender_close(AppenderHandle appender);

    [LibraryImport(Lib)]
    internal static partial DuckDbState duckdb_appender_destroy(ref nint appender);

    [LibraryImport(Lib)]
    internal static partial ulong duckdb_appender_column_count(AppenderHandle appender);

    [LibraryImport(Lib)]
    internal static partial DuckDbState duckdb_appender_end_row(AppenderHandle appender);

    [LibraryImport(Lib)]
    internal static partial DuckDbState duckdb_append_null(AppenderHandle appender);

    [LibraryImport(Lib)]
    internal static partial DuckDbState duckdb_append_bool(AppenderHandle appender, [MarshalAs(UnmanagedType.U1)] bool value);

    [LibraryImport(Lib)]
    internal static partial DuckDbState duckdb_append_int8(AppenderHandle appender, sbyte value);

    [LibraryImport(Lib)]
    internal static partial DuckDbState duckdb_append_int16(AppenderHandle appender, short value);

    [LibraryImport(Lib)]
    internal static partial DuckDbState duckdb_append_int32(AppenderHandle appender, int value);

    [LibraryImport(Lib)]
    internal static partial DuckDbState duckdb_append_int64(AppenderHandle appender, long value);

    [LibraryImport(Lib)]
    internal static partial DuckDbState duckdb_append_uint8(AppenderHandle appender, byte value);

    [LibraryImport(Lib)]
    internal static partial DuckDbState duckdb_append_uint16(AppenderHandle appender, ushort value);

    [LibraryImport(Lib)]
    internal static partial DuckDbState duckdb_append_uint32(AppenderHandle appender, uint value);

    [LibraryImport(Lib)]
    internal static partial DuckDbState duckdb_append_uint64(AppenderHandle appender, ulong value);

    [LibraryImport(Lib)]
    internal static partial DuckDbState duckdb_append_hugeint(AppenderHandle appender, DuckDbHugeInt value);

    [LibraryImport(Lib)]
    internal static partial DuckDbState duckdb_append_float(AppenderHandle appender, float value);

    [LibraryImport(Lib)]
    internal static partial DuckDbState duckdb_append_double(AppenderHandle appender, double value);

    [LibraryImport(Lib)]
    internal static partial DuckDbState duckdb_append_date(AppenderHandle appender, int days);

    [LibraryImport(Lib)]
    internal static partial DuckDbState duckdb_append_time(AppenderHandle appender, long micros);

    [LibraryImport(Lib)]
    internal static partial DuckDbState duckdb_append_timestamp(AppenderHandle appender, long micros);

    [LibraryImport(Lib)]
    internal static partial DuckDbState duckdb_append_interval(AppenderHandle appender, DuckDbInterval value);

    [LibraryImport(Lib)]
    internal static partial DuckDbState duckdb_append_varchar_length(AppenderHandle appender, byte* value, ulong length);

    [LibraryImport(Lib)]
    internal static partial DuckDbState duckdb_append_blob(AppenderHandle appender, byte* data, ulong length);

    [LibraryImport(Lib)]
    internal static partial DuckDbState duckdb_append_value(AppenderHandle appender, ValueHandle value);

    // ---- Scalar functions --------------------------------------------------------------------------------

    [LibraryImport(Lib)]
    internal static partial ScalarFunctionHandle duckdb_create_scalar_function();

    [LibraryImport(Lib)]
    internal static partial void duckdb_destroy_scalar_function(ref nint function);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial void duckdb_scalar_function_set_name(ScalarFunctionHandle function, string name);

    [LibraryImport(Lib)]
    internal static partial void duckdb_scalar_function_add_parameter(ScalarFunctionHandle function, LogicalTypeHandle type);

    [LibraryImport(Lib)]
    internal static partial void duckdb_scalar_function_set_return_type(ScalarFunctionHandle function, LogicalTypeHandle type);

    [LibraryImport(Lib)]
    internal static partial void duckdb_scalar_function_set_volatile(ScalarFunctionHandle function);

    [LibraryImport(Lib)]
    internal static partial void duckdb_scalar_function_set_special_handling(ScalarFunctionHandle function);

    [LibraryImport(Lib)]
    internal static partial void duckdb_scalar_function_set_extra_info(ScalarFunctionHandle function, nint extraInfo, delegate* unmanaged<nint, void> destroy);

    [LibraryImport(Lib)]
    internal static partial void duckdb_scalar_function_set_function(ScalarFunctionHandle function, delegate* unmanaged<nint, nint, nint, void> callback);

    [LibraryImport(Lib)]
    internal static partial DuckDbState duckdb_register_scalar_function(ConnectionHandle connection, ScalarFunctionHandle function);

    [LibraryImport(Lib)]
    internal static partial nint duckdb_scalar_function_get_extra_info(nint info);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial void duckdb_scalar_function_set_error(nint info, string error);
}
