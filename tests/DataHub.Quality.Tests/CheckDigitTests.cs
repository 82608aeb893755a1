using System.Text;
using DataHub.DuckDb;
using DataHub.Quality.Functions;

namespace DataHub.Quality.Tests;

public sealed class CheckDigitTests
{
    [Theory]
    [InlineData("11010519491231002X", true)]   // the standard's example
    [InlineData("11010519491231002x", true)]   // lower-case x is the same character
    [InlineData("440524188001010014", true)]
    [InlineData("110105194912310021", false)]  // wrong check character
    [InlineData("11010519491231002", false)]   // 17 characters
    [InlineData("1101051949123100AX", false)]  // a letter among the digits
    [InlineData("110105491231002", true)]      // old 15-digit number: no check character
    [InlineData("11010549123100A", false)]
    public void Citizen_id_numbers_follow_gb11643(string id, bool valid) =>
        Assert.Equal(valid, CheckDigits.IsValidCitizenId(Encoding.UTF8.GetBytes(id)));

    [Theory]
    [InlineData("91350100M000100Y43", true)]
    [InlineData("91110000600037341L", true)]
    [InlineData("91350100M000100Y44", false)]
    [InlineData("91350100M000100I43", false)]   // I is not in the alphabet
    [InlineData("91350100M000100Y4", false)]
    public void Credit_codes_follow_gb32100(string code, bool valid) =>
        Assert.Equal(valid, CheckDigits.IsValidCreditCode(Encoding.UTF8.GetBytes(code)));

    [Fact]
    public void The_functions_run_inside_duckdb_with_nulls()
    {
        using var duck = new DuckDbConnection();
        duck.Open();
        QualityFunctions.Register(duck);
        QualityFunctions.Register(duck); // idempotent
        using var command = new DuckDbCommand(
            """
            SELECT dh_citizen_id_valid('11010519491231002X'), dh_citizen_id_valid('110105194912310021'), dh_citizen_id_valid(NULL),
                   dh_credit_code_valid('91350100M000100Y43'), dh_citizen_id_check('11010519491231002'),
                   count(*) FILTER (WHERE dh_citizen_id_valid(id || dh_citizen_id_check(id)))
            FROM (SELECT lpad(CAST(110105194900000000 + i AS VARCHAR), 17, '0')[1:17] AS id FROM range(10000) r(i))
            """, duck);
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());
        Assert.True(reader.GetBoolean(0));
        Assert.False(reader.GetBoolean(1));
        Assert.True(reader.IsDBNull(2));
        Assert.True(reader.GetBoolean(3));
        Assert.Equal("X", reader.GetString(4));
        Assert.Equal(10000L, reader.GetInt64(5));
    }
}
