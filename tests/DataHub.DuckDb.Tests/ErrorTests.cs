using System.Reflection;
using DataHub.DuckDb;

namespace DataHub.DuckDb.Tests;

public sealed class ErrorTests : IDisposable
{
    private readonly DuckDbConnection _connection = new();

    public ErrorTests() => _connection.Open();

    public void Dispose() => _connection.Dispose();

    [Theory]
    [InlineData("SELEC 1", DuckDbErrorType.Parser)]
    [InlineData("SELECT * FROM no_such_table", DuckDbErrorType.Catalog)]
    [InlineData("SELECT no_such_column FROM range(1)", DuckDbErrorType.Binder)]
    [InlineData("SELECT 'abc'::INTEGER", DuckDbErrorType.Conversion)]
    public void Errors_carry_duckdb_message_and_category(string sql, DuckDbErrorType expected)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        var error = Assert.Throws<DuckDbException>(() => command.ExecuteScalar());
        Assert.Equal(expected, error.ErrorType);
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
        // The connection stays usable after an error.
        Assert.Equal(1, _connection.CreateCommand() is { } ok ? Exec(ok, "SELECT 1") : null);
    }

    [Fact]
    public void A_constraint_violation_is_reported_as_such()
    {
        _connection.Execute("CREATE TABLE k(id INTEGER PRIMARY KEY)");
        _connection.Execute("INSERT INTO k VALUES (1)");
        var error = Assert.Throws<DuckDbException>(() => _connection.Execute("INSERT INTO k VALUES (1)"));
        Assert.Equal(DuckDbErrorType.Constraint, error.ErrorType);
    }

    [Fact]
    public void An_error_in_the_middle_of_a_stream_surfaces_on_read()
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT CASE WHEN i < 100000 THEN i ELSE error('boom at ' || i) END FROM range(200000) r(i)";
        var error = Assert.ThrowsAny<DuckDbException>(() =>
        {
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
            }
        });
        Assert.Contains("boom at", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unsupported_parameter_types_are_refused_clearly()
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT $1";
        command.Parameters.AddValue(new object());
        var error = Assert.Throws<NotSupportedException>(() => command.ExecuteScalar());
        Assert.Contains("System.Object", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_native_library_names_npm_ci_and_the_variable()
    {
        var loader = typeof(DuckDbConnection).Assembly.GetType("DataHub.DuckDb.Native.NativeLibraryLoader")!;
        var locate = loader.GetMethod("Locate", BindingFlags.Static | BindingFlags.NonPublic)!;
        var error = Assert.Throws<TargetInvocationException>(() => locate.Invoke(null, ["/nonexistent/libduckdb.so", typeof(DuckDbConnection).Assembly]));
        var missing = Assert.IsType<DllNotFoundException>(error.InnerException);
        Assert.Contains("npm ci", missing.Message, StringComparison.Ordinal);
        Assert.Contains("DATAHUB_DUCKDB_LIB", missing.Message, StringComparison.Ordinal);
        Assert.Contains("/nonexistent/libduckdb.so", missing.Message, StringComparison.Ordinal);
    }

    private static object? Exec(DuckDbCommand command, string sql)
    {
        using (command)
        {
            command.CommandText = sql;
            return command.ExecuteScalar();
        }
    }
}
