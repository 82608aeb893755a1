using System.Text;
using DataHub.DuckDb;

namespace DataHub.Exchange.Masking;

/// <summary>
/// The masks of <see cref="Masks"/> as DuckDB scalar functions, for the views a grant shares:
/// <c>dh_mask_keep(VARCHAR, INTEGER first, INTEGER last)</c>, <c>dh_mask_name(VARCHAR)</c>, <c>dh_mask_id(VARCHAR)</c>,
/// <c>dh_mask_phone(VARCHAR)</c>, <c>dh_mask_address(VARCHAR)</c> (cut at the township),
/// <c>dh_mask_address_county(VARCHAR)</c>, <c>dh_mask_hash(VARCHAR value, VARCHAR key)</c> and
/// <c>dh_mask_pseudonym(VARCHAR)</c>, the keyed hash with the key given at registration so that no view's SQL carries it.
/// NULL in any argument gives NULL.
/// </summary>
public static class MaskFunctions
{
    /// <summary>The generic keep-first-and-last mask.</summary>
    public const string KeepFunction = "dh_mask_keep";

    /// <summary>The name mask (first character kept).</summary>
    public const string NameFunction = "dh_mask_name";

    /// <summary>The citizen ID mask (first 6 and last 4 kept).</summary>
    public const string CitizenIdFunction = "dh_mask_id";

    /// <summary>The phone mask (first 3 and last 4 kept).</summary>
    public const string PhoneFunction = "dh_mask_phone";

    /// <summary>The address mask cut at the township.</summary>
    public const string AddressFunction = "dh_mask_address";

    /// <summary>The address mask cut at the county.</summary>
    public const string AddressCountyFunction = "dh_mask_address_county";

    /// <summary>The keyed hash with the key as its second argument.</summary>
    public const string HashFunction = "dh_mask_hash";

    /// <summary>The keyed hash with the key bound at registration.</summary>
    public const string PseudonymFunction = "dh_mask_pseudonym";

    /// <summary>Registers the functions on the connection's database (visible to all its connections).</summary>
    /// <param name="connection">An open connection.</param>
    /// <param name="key">The secret key of <c>dh_mask_pseudonym</c>, at least <see cref="Masks.MinimumKeyBytes"/> bytes; copied.</param>
    /// <param name="hashLength">How many hex characters both hash functions return (8 to 64).</param>
    public static void Register(DuckDbConnection connection, ReadOnlySpan<byte> key, int hashLength = 16)
    {
        ArgumentNullException.ThrowIfNull(connection);
        _ = Masks.Hash(string.Empty, key, hashLength); // refuses a short key or a bad length before anything is registered
        var bound = key.ToArray();
        connection.RegisterScalarFunction(new DuckDbScalarFunction(
            KeepFunction, [DuckDbType.Varchar, DuckDbType.Integer, DuckDbType.Integer], DuckDbType.Varchar, Keep));
        connection.RegisterScalarFunction(DuckDbScalarFunction.Create<string, string>(NameFunction, Masks.Name));
        connection.RegisterScalarFunction(DuckDbScalarFunction.Create<string, string>(CitizenIdFunction, Masks.CitizenId));
        connection.RegisterScalarFunction(DuckDbScalarFunction.Create<string, string>(PhoneFunction, Masks.Phone));
        connection.RegisterScalarFunction(DuckDbScalarFunction.Create<string, string>(AddressFunction, v => Masks.Address(v)));
        connection.RegisterScalarFunction(DuckDbScalarFunction.Create<string, string>(AddressCountyFunction, v => Masks.Address(v, AddressCut.County)));
        connection.RegisterScalarFunction(DuckDbScalarFunction.Create<string, string, string>(
            HashFunction, (value, k) => Masks.Hash(value, Encoding.UTF8.GetBytes(k), hashLength)));
        var pseudonyms = new Pseudonymizer(bound, hashLength); // lives as long as the database that calls it
        connection.RegisterScalarFunction(DuckDbScalarFunction.Create<string, string>(PseudonymFunction, pseudonyms.Hash));
    }

    private static void Keep(DuckDbFunctionInput input, DuckDbFunctionOutput output)
    {
        for (var row = 0; row < input.RowCount; row++)
        {
            if (input.IsNull(0, row) || input.IsNull(1, row) || input.IsNull(2, row))
            {
                output.SetNull(row);
                continue;
            }

            var first = input.GetInt64(1, row);
            var last = input.GetInt64(2, row);
            if (first is < 0 or > int.MaxValue || last is < 0 or > int.MaxValue)
            {
                throw new ArgumentOutOfRangeException(nameof(input), $"{KeepFunction} keeps 0 or more characters at each end, not {first} and {last}");
            }

            output.SetString(row, Masks.Keep(input.GetString(0, row), (int)first, (int)last));
        }
    }
}
