using DataHub.DuckDb;

namespace DataHub.DuckDb.Tests;

public sealed class AppenderTests
{
    [Fact]
    public void Appended_rows_with_nulls_are_read_back()
    {
        using var connection = new DuckDbConnection();
        connection.Open();
        connection.Execute("CREATE TABLE m(id BIGINT, name VARCHAR, reading DECIMAL(12,2), day DATE, ok BOOLEAN)");
        using (var appender = connection.CreateAppender("m"))
        {
            Assert.Equal(5, appender.ColumnCount);
            for (var i = 0; i < 50_000; i++)
            {
                appender.Append((long)i).Append(i % 3 == 0 ? null : "户号" + i).Append(i / 4m).Append(new DateOnly(2026, 1, 1).AddDays(i % 365)).Append(i % 2 == 0);
                appender.EndRow();
            }

            appender.Close();
            Assert.Equal(50_000, appender.RowCount);
        }

        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*), count(name), sum(reading), max(day) FROM m";
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());
        Assert.Equal(50_000L, reader.GetInt64(0));
        Assert.Equal(50_000L - 16_667, reader.GetInt64(1));
        Assert.Equal(Enumerable.Range(0, 50_000).Sum(i => i / 4m), reader.GetDecimal(2));
        Assert.Equal(new DateOnly(2026, 12, 31), reader.GetFieldValue<DateOnly>(3));
    }

    [Fact]
    public void A_wrong_row_shape_is_an_error_naming_the_table()
    {
        using var connection = new DuckDbConnection();
        connection.Open();
        connection.Execute("CREATE TABLE two(a INTEGER, b INTEGER)");
        using var appender = connection.CreateAppender("two");
        appender.Append(1);
        var error = Assert.Throws<DuckDbException>(appender.EndRow);
        Assert.Contains("two", error.Message, StringComparison.Ordinal);
    }
}
