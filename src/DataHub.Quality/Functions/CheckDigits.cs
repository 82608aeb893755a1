namespace DataHub.Quality.Functions;

/// <summary>
/// Check-character algorithms of Chinese identifiers, on UTF-8 bytes so the DuckDB functions allocate nothing.
/// </summary>
public static class CheckDigits
{
    private static readonly int[] CitizenWeights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    private const string CitizenChecks = "10X98765432";
    private static readonly int[] CreditWeights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
    private const string CreditAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";

    /// <summary>
    /// GB 11643-1999: the 18th character of a citizen ID number equals the check computed from the first 17
    /// digits (weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2, sum mod 11 indexing "10X98765432"). Old 15-digit
    /// numbers carry no check character and are valid when all digits.
    /// </summary>
    public static bool IsValidCitizenId(ReadOnlySpan<byte> id)
    {
        if (id.Length == 15)
        {
            foreach (var b in id)
            {
                if (b is < (byte)'0' or > (byte)'9')
                {
                    return false;
                }
            }

            return true;
        }

        return id.Length == 18 && CitizenCheck(id[..17]) is { } check && check == char.ToUpperInvariant((char)id[17]);
    }

    /// <summary>The GB 11643 check character for 17 digits, or null when they are not 17 digits.</summary>
    public static char? CitizenCheck(ReadOnlySpan<byte> first17)
    {
        if (first17.Length != 17)
        {
            return null;
        }

        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            var d = first17[i] - '0';
            if ((uint)d > 9)
            {
                return null;
            }

            sum += d * CitizenWeights[i];
        }

        return CitizenChecks[sum % 11];
    }

    /// <summary>
    /// GB 32100-2015: the 18th character of a unified social credit code equals
    /// alphabet[(31 − Σ value×weight mod 31) mod 31] over the first 17 (alphabet 0-9 A-H J-N P-R T U W-Y).
    /// </summary>
    public static bool IsValidCreditCode(ReadOnlySpan<byte> code) =>
        code.Length == 18 && CreditCodeCheck(code[..17]) is { } check && check == (char)code[17];

    /// <summary>The GB 32100 check character for the first 17 characters, or null when they are not 17 from the alphabet.</summary>
    public static char? CreditCodeCheck(ReadOnlySpan<byte> first17)
    {
        if (first17.Length != 17)
        {
            return null;
        }

        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            var value = CreditAlphabet.IndexOf((char)first17[i], StringComparison.Ordinal);
            if (value < 0)
            {
                return null;
            }

            sum += value * CreditWeights[i];
        }

        return CreditAlphabet[(31 - (sum % 31)) % 31];
    }
}
