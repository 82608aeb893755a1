using DataHub.DuckDb;

namespace DataHub.DuckDb.Tests;

public sealed class TypeRoundTripTests : IDisposable
{
    private readonly DuckDbConnection _connection = new("Data Source=:memory:");

    public TypeRoundTripTests() => _connection.Open();

    public void Dispose() => _connection.Dispose();

    public static TheoryData<string, object> Values => new()
    {
        { "BOOLEAN", true },
        { "TINYINT", (sbyte)-7 },
        { "SMALLINT", (short)-30000 },
        { "INTEGER", int.MinValue + 1 },
        { "BIGINT", long.MaxValue },
        { "UTINYINT", (byte)250 },
        { "USMALLINT", (ushort)65000 },
        { "UINTEGER", uint.MaxValue },
        { "UBIGINT", ulong.MaxValue },
        { "HUGEINT", Int128.MinValue + 5 },
        { "UHUGEINT", UInt128.MaxValue - 3 },
        { "FLOAT", 1.5f },
        { "DOUBLE", -2.25e300 },
        { "DECIMAL(4,1)", 123.4m },
        { "DECIMAL(9,3)", -123456.789m },
        { "DECIMAL(18,2)", 1234567890123456.78m },
        { "DECIMAL(38,10)", 1234567890123456789.0123456789m },
        { "VARCHAR", "short" },
        { "VARCHAR", "一个比十二字节更长的中文字符串，水务集团抄表" },
        { "BLOB", new byte[] { 0, 1, 2, 255, 0x80 } },
        { "DATE", new DateOnly(2024, 2, 29) },
        { "DATE", new DateOnly(1900, 1, 1) },
        { "TIME", new TimeOnly(23, 59, 58, 123, 456) },
        { "TIMESTAMP", new DateTime(2026, 11, 22, 3, 4, 5, 678, DateTimeKind.Unspecified).AddTicks(9 * 10) },
        { "TIMESTAMP", new DateTime(1969, 7, 20, 20, 17, 40, DateTimeKind.Unspecified) },
        { "TIMESTAMPTZ", new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero) },
        { "INTERVAL", new DuckDbInterval(14, 3, 3_600_000_001) },
        { "UUID", Guid.Parse("f81d4fae-7dec-11d0-a765-00a0c91e6bf6") },
        { "UUID", Guid.Parse("0f1d4fae-7dec-11d0-a765-00a0c91e6bf6") },
    };

    [Theory]
    [MemberData(nameof(Values))]
    public void A_bound_value_comes_back_equal_and_typed_and_its_null_comes_back_null(string sqlType, object value)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = $"SELECT CAST($v AS {sqlType}) AS v, CAST(NULL AS {sqlType}) AS n, CAST($v AS {sqlType}) IS NULL AS isnull";
        command.Parameters.Add("v", value);
        using var reader = command.ExecuteReader();

        Assert.True(reader.Read());
        Assert.False(reader.IsDBNull(0));
        Assert.False(reader.GetBoolean(2));
        Assert.Equal(value, reader.GetValue(0));
        Assert.Equal(value.GetType(), reader.GetFieldType(0));
        Assert.True(reader.IsDBNull(1));
        Assert.Equal(DBNull.Value, reader.GetValue(1));
        Assert.Throws<InvalidCastException>(() => reader.GetString(1));
        Assert.False(reader.Read());
    }

    [Fact]
    public void Literals_read_from_vectors_match_duckdb_own_text_for_scalars()
    {
        using var command = _connection.CreateCommand();
        command.CommandText = """
            SELECT 42::INTEGER, 'x'::VARCHAR, DATE '2024-03-01', TIME '12:34:56.5', TIMESTAMP '2024-03-01 01:02:03.25',
                   123.45::DECIMAL(10,2), -0.5::DECIMAL(3,2), '6f1d4fae-7dec-11d0-a765-00a0c91e6bf6'::UUID
            """;
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());
        Assert.Equal(42, reader.GetInt32(0));
        Assert.Equal(42L, reader.GetInt64(0));
        Assert.Equal("42", reader.GetString(0));
        Assert.Equal("2024-03-01", reader.GetString(2));
        Assert.Equal("12:34:56.5", reader.GetString(3));
        Assert.Equal("2024-03-01 01:02:03.25", reader.GetString(4));
        Assert.Equal("123.45", reader.GetString(5));
        Assert.Equal(123.45m, reader.GetDecimal(5));
        Assert.Equal("-0.50", reader.GetString(6));
        Assert.Equal(new Guid("6f1d4fae-7dec-11d0-a765-00a0c91e6bf6"), reader.GetGuid(7));
        Assert.Equal("DECIMAL(10,2)", reader.GetDataTypeName(5));
    }

    [Fact]
    public void Nested_types_read_as_text_with_nulls_inside_and_outside()
    {
        using var command = _connection.CreateCommand();
        command.CommandText = """
            SELECT * FROM (VALUES
              ([1, NULL, 3], {'名': '张三', 'age': 30}, MAP {'a': 1}, [1.5, 2.5]::DOUBLE[2], 'x'::ENUM_T),
              (NULL, NULL, NULL, NULL, NULL),
              ([], {'名': NULL, 'age': NULL}, MAP {}, [NULL, 1]::DOUBLE[2], 'yy'::ENUM_T)) t(l, s, m, a, e)
            """;
        _connection.Execute("CREATE TYPE ENUM_T AS ENUM ('x', 'yy')");
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());
        Assert.Equal("[1, NULL, 3]", reader.GetString(0));
        Assert.Equal("{'名': '张三', 'age': 30}", reader.GetString(1));
        Assert.Equal("{'a'=1}", reader.GetString(2));
        Assert.Equal("[1.5, 2.5]", reader.GetString(3));
        Assert.Equal("x", reader.GetValue(4));
        Assert.True(reader.Read());
        for (var i = 0; i < 5; i++)
        {
            Assert.True(reader.IsDBNull(i));
        }

        Assert.True(reader.Read());
        Assert.Equal("[]", reader.GetString(0));
        Assert.Equal("{'名': NULL, 'age': NULL}", reader.GetString(1));
        Assert.Equal("{}", reader.GetString(2));
        Assert.Equal("[NULL, 1.0]".Replace("1.0", "1", StringComparison.Ordinal), reader.GetString(3));
        Assert.Equal("yy", reader.GetString(4));
        Assert.False(reader.Read());
    }

    [Fact]
    public void Nulls_are_found_at_every_position_across_chunks()
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT CASE WHEN i % 7 = 0 THEN NULL ELSE i END, CASE WHEN i % 5 = 0 THEN NULL ELSE 'v' || i END FROM range(10000) r(i) ORDER BY i";
        using var reader = command.ExecuteReader();
        long i = 0;
        while (reader.Read())
        {
            Assert.Equal(i % 7 == 0, reader.IsDBNull(0));
            Assert.Equal(i % 5 == 0, reader.IsDBNull(1));
            if (i % 7 != 0)
            {
                Assert.Equal(i, reader.GetInt64(0));
            }

            if (i % 5 != 0)
            {
                Assert.Equal("v" + i, reader.GetString(1));
            }

            i++;
        }

        Assert.Equal(10000, i);
    }

    [Fact]
    public void Positional_and_named_parameters_bind_and_sql_injection_is_inert()
    {
        _connection.Execute("CREATE TABLE people(name VARCHAR, age INTEGER)");
        using (var insert = _connection.CreateCommand())
        {
            insert.CommandText = "INSERT INTO people VALUES (?, ?)";
            insert.Parameters.AddValue("Robert'); DROP TABLE people; --");
            insert.Parameters.AddValue(40);
            Assert.Equal(1, insert.ExecuteNonQuery());
            insert.Parameters[0].Value = "李四";
            insert.Parameters[1].Value = DBNull.Value;
            Assert.Equal(1, insert.ExecuteNonQuery());
        }

        using var query = _connection.CreateCommand();
        query.CommandText = "SELECT count(*) FROM people WHERE name = $name OR age IS NULL";
        query.Parameters.Add("$name", "Robert'); DROP TABLE people; --");
        Assert.Equal(2L, query.ExecuteScalar());
    }
}
