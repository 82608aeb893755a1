using DataHub.DuckDb;

namespace DataHub.Quality.Functions;

/// <summary>
/// The C# scalar functions quality rules call from SQL, vectorised per chunk through DataHub's DuckDB binding:
/// <c>dh_citizen_id_valid(VARCHAR)</c>, <c>dh_credit_code_valid(VARCHAR)</c> and <c>dh_citizen_id_check(VARCHAR)</c>
/// (the check character of 17 digits, for generating test data).
/// </summary>
public static class QualityFunctions
{
    /// <summary>The function checking GB 11643 citizen ID numbers.</summary>
    public const string CitizenIdValid = "dh_citizen_id_valid";

    /// <summary>The function checking GB 32100 unified social credit codes.</summary>
    public const string CreditCodeValid = "dh_credit_code_valid";

    /// <summary>The function computing a GB 11643 check character.</summary>
    public const string CitizenIdCheck = "dh_citizen_id_check";

    /// <summary>Registers the functions on the connection's database unless they are there already.</summary>
    public static void Register(DuckDbConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        using (var command = new DuckDbCommand("SELECT count(*) FROM duckdb_functions() WHERE function_name = $name", connection))
        {
            command.Parameters.Add("name", CitizenIdValid);
            if (command.ExecuteScalar() is long n && n > 0)
            {
                return;
            }
        }

        connection.RegisterScalarFunction(Predicate(CitizenIdValid, CheckDigits.IsValidCitizenId));
        connection.RegisterScalarFunction(Predicate(CreditCodeValid, CheckDigits.IsValidCreditCode));
        connection.RegisterScalarFunction(new DuckDbScalarFunction(CitizenIdCheck, [DuckDbType.Varchar], DuckDbType.Varchar, (input, output) =>
        {
            Span<byte> one = stackalloc byte[1];
            for (var row = 0; row < input.RowCount; row++)
            {
                if (input.IsNull(0, row) || CheckDigits.CitizenCheck(input.GetUtf8(0, row)) is not { } check)
                {
                    output.SetNull(row);
                    continue;
                }

                one[0] = (byte)check;
                output.SetUtf8(row, one);
            }
        }));
    }

    private delegate bool Utf8Predicate(ReadOnlySpan<byte> value);

    private static DuckDbScalarFunction Predicate(string name, Utf8Predicate predicate) =>
        new(name, [DuckDbType.Varchar], DuckDbType.Boolean, (input, output) =>
        {
            for (var row = 0; row < input.RowCount; row++)
            {
                if (input.IsNull(0, row))
                {
                    output.SetNull(row);
                }
                else
                {
                    output.SetBoolean(row, predicate(input.GetUtf8(0, row)));
                }
            }
        });
}
