using DataHub.DuckDb;
using DataHub.Themes.Identifiers;

namespace DataHub.Themes.Fusion;

/// <summary>
/// The key normalisers as DuckDB functions: <c>dh_citizen_id(VARCHAR)</c> and <c>dh_credit_code(VARCHAR)</c> give the
/// canonical 18-character form, or NULL when the value is not a valid identifier.
/// </summary>
public static class ThemeKeyFunctions
{
    /// <summary>The citizen ID normaliser's name.</summary>
    public const string CitizenId = "dh_citizen_id";

    /// <summary>The credit code normaliser's name.</summary>
    public const string CreditCode = "dh_credit_code";

    /// <summary>Registers both on the connection's database.</summary>
    /// <param name="connection">An open connection.</param>
    public static void Register(DuckDbConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        connection.RegisterScalarFunction(DuckDbScalarFunction.Create<string, string>(CitizenId, ThemeKeys.CanonicalCitizenId));
        connection.RegisterScalarFunction(DuckDbScalarFunction.Create<string, string>(CreditCode, ThemeKeys.CanonicalCreditCode));
    }
}
