using DataHub.DuckDb;

namespace DataHub.DuckDb.Tests;

public sealed class ScalarFunctionTests : IDisposable
{
    private readonly DuckDbConnection _connection = new();

    public ScalarFunctionTests() => _connection.Open();

    public void Dispose() => _connection.Dispose();

    [Fact]
    public void A_csharp_function_runs_per_chunk_over_every_row_with_nulls()
    {
        var chunks = 0;
        _connection.RegisterScalarFunction(new DuckDbScalarFunction("mask_tail", [DuckDbType.Varchar, DuckDbType.BigInt], DuckDbType.Varchar, (input, output) =>
        {
            Interlocked.Increment(ref chunks);
            for (var row = 0; row < input.RowCount; row++)
            {
                if (input.IsNull(0, row) || input.IsNull(1, row))
                {
                    output.SetNull(row);
                    continue;
                }

                var text = input.GetString(0, row);
                var keep = (int)Math.Min(input.GetInt64(1, row), text.Length);
                output.SetString(row, text[..keep] + new string('*', text.Length - keep));
            }
        }));

        using var command = _connection.CreateCommand();
        command.CommandText = """
            SELECT count(*) FILTER (WHERE m = left(s, 3) || repeat('*', length(s) - 3)),
                   count(*) FILTER (WHERE m IS NULL), count(*)
            FROM (SELECT s, mask_tail(s, 3) AS m FROM (SELECT CASE WHEN i % 10 = 0 THEN NULL ELSE '居民身份证' || i END AS s FROM range(100000) r(i)))
            """;
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());
        Assert.Equal(90000L, reader.GetInt64(0));
        Assert.Equal(10000L, reader.GetInt64(1));
        Assert.Equal(100000L, reader.GetInt64(2));
        Assert.True(chunks >= 100000 / 2048, $"called {chunks} times");
    }

    [Fact]
    public void Delegate_functions_map_types_and_propagate_null()
    {
        _connection.RegisterScalarFunction(DuckDbScalarFunction.Create("is_even_len", (string s) => s.Length % 2 == 0));
        _connection.RegisterScalarFunction(DuckDbScalarFunction.Create("times", (long a, long b) => a * b));
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT is_even_len('ab'), is_even_len('abc'), is_even_len(NULL), times(6, 7), times(NULL, 1)";
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());
        Assert.True(reader.GetBoolean(0));
        Assert.False(reader.GetBoolean(1));
        Assert.True(reader.IsDBNull(2));
        Assert.Equal(42L, reader.GetInt64(3));
        Assert.True(reader.IsDBNull(4));
    }

    [Fact]
    public void An_exception_in_the_function_becomes_a_query_error()
    {
        _connection.RegisterScalarFunction(DuckDbScalarFunction.Create<string, string>("fails", s => throw new FormatException("bad value " + s)));
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT fails('x')";
        var error = Assert.Throws<DuckDbException>(() => command.ExecuteScalar());
        Assert.Contains("bad value x", error.Message, StringComparison.Ordinal);
    }
}
