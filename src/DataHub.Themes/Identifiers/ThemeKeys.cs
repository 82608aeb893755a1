using System.Globalization;
using System.Text;
using DataHub.Quality.Functions;

namespace DataHub.Themes.Identifiers;

/// <summary>
/// Normalisation of the keys the theme databases fuse on: GB 11643 citizen ID numbers and GB 32100 unified social
/// credit codes, as departments actually write them — full-width characters (NFKC), spaces and zero-width characters,
/// a lower-case check character, and old 15-digit ID numbers, which are upgraded to 18 digits (century 19 inserted
/// before the two-digit year, check character computed).
/// </summary>
public static class ThemeKeys
{
    /// <summary>
    /// The canonical citizen ID number or null, fast for the common case: a value that is already 18 ASCII characters
    /// with a valid check character and birth date is returned as it is, without allocating.
    /// </summary>
    /// <param name="raw">The number as written.</param>
    public static string? CanonicalCitizenId(string? raw)
    {
        if (raw is { Length: 18 } && !raw.AsSpan(0, 17).ContainsAnyExceptInRange('0', '9') && (char.IsAsciiDigit(raw[17]) || raw[17] == 'X'))
        {
            Span<byte> first17 = stackalloc byte[17];
            for (var i = 0; i < 17; i++)
            {
                first17[i] = (byte)raw[i];
            }

            if (CheckDigits.CitizenCheck(first17) == raw[17] && PlausibleDate(raw.AsSpan(6, 8)))
            {
                return raw;
            }
        }

        return CitizenId(raw).Value;
    }

    /// <summary>The canonical credit code or null; an already canonical value is returned as it is.</summary>
    /// <param name="raw">The code as written.</param>
    public static string? CanonicalCreditCode(string? raw)
    {
        if (raw is { Length: 18 })
        {
            Span<byte> bytes = stackalloc byte[18];
            var ascii = true;
            for (var i = 0; i < 18 && ascii; i++)
            {
                ascii = raw[i] < 128 && !char.IsAsciiLetterLower(raw[i]);
                bytes[i] = (byte)raw[i];
            }

            if (ascii && CheckDigits.CreditCodeCheck(bytes[..17]) == raw[17])
            {
                return raw;
            }
        }

        return CreditCode(raw).Value;
    }

    private static bool PlausibleDate(ReadOnlySpan<char> yyyymmdd) =>
        int.TryParse(yyyymmdd[..4], NumberStyles.None, CultureInfo.InvariantCulture, out var year)
        && int.TryParse(yyyymmdd.Slice(4, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var month)
        && int.TryParse(yyyymmdd.Slice(6, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var day)
        && year is >= 1850 and <= 2200 && month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(year, month);

    /// <summary>Normalises a citizen ID number.</summary>
    /// <param name="raw">The number as written.</param>
    public static NormalizedId CitizenId(string? raw)
    {
        var (text, changes) = Clean(raw);
        if (text.Length == 0)
        {
            return new(null, "missing", changes);
        }

        if (text.Length == 15)
        {
            if (!text.All(char.IsAsciiDigit))
            {
                return new(null, "a 15-character number must be all digits", changes);
            }

            var birth = string.Concat("19", text.AsSpan(6, 6));
            if (!DateOnly.TryParseExact(birth, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
            {
                return new(null, $"15-digit number with an impossible birth date {birth}", changes);
            }

            var first17 = text[..6] + "19" + text[6..];
            var check = CheckDigits.CitizenCheck(Encoding.ASCII.GetBytes(first17))!.Value;
            changes.Add("upgraded from 15 digits");
            return new(first17 + check, null, changes);
        }

        if (text.Length != 18)
        {
            return new(null, string.Create(CultureInfo.InvariantCulture, $"{text.Length} characters; an ID number has 18 (or 15)"), changes);
        }

        if (text.AsSpan(0, 17).ContainsAnyExceptInRange('0', '9'))
        {
            return new(null, "the first 17 characters must be digits", changes);
        }

        if (text[17] == 'x')
        {
            text = text[..17] + "X";
            changes.Add("lower-case x");
        }

        var expected = CheckDigits.CitizenCheck(Encoding.ASCII.GetBytes(text[..17]))!.Value;
        if (text[17] != expected)
        {
            return new(null, $"check character is {text[17]}, expected {expected}", changes);
        }

        if (!DateOnly.TryParseExact(text.Substring(6, 8), "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            return new(null, $"impossible birth date {text.Substring(6, 8)}", changes);
        }

        return new(text, null, changes);
    }

    /// <summary>Normalises a unified social credit code.</summary>
    /// <param name="raw">The code as written.</param>
    public static NormalizedId CreditCode(string? raw)
    {
        var (text, changes) = Clean(raw);
        if (text.Length == 0)
        {
            return new(null, "missing", changes);
        }

        var upper = text.ToUpperInvariant();
        if (upper != text)
        {
            changes.Add("lower case");
        }

        if (upper.Length != 18)
        {
            return new(null, string.Create(CultureInfo.InvariantCulture, $"{upper.Length} characters; a credit code has 18"), changes);
        }

        var expected = CheckDigits.CreditCodeCheck(Encoding.ASCII.GetBytes(upper[..17]));
        if (expected is null)
        {
            return new(null, "a character outside the code's alphabet (0-9, A-H, J-N, P-R, T, U, W-Y)", changes);
        }

        return upper[17] == expected ? new(upper, null, changes) : new(null, $"check character is {upper[17]}, expected {expected}", changes);
    }

    /// <summary>NFKC (full-width to ASCII), then white space and zero-width characters removed.</summary>
    private static (string Text, List<string> Changes) Clean(string? raw)
    {
        var changes = new List<string>();
        if (string.IsNullOrEmpty(raw))
        {
            return (string.Empty, changes);
        }

        var folded = raw.Normalize(NormalizationForm.FormKC);
        if (folded != raw)
        {
            changes.Add("full-width");
        }

        var builder = new StringBuilder(folded.Length);
        foreach (var c in folded)
        {
            if (!char.IsWhiteSpace(c) && c is not ('\u200B' or '\u200C' or '\u200D' or '\u2060' or '\uFEFF'))
            {
                builder.Append(c);
            }
        }

        if (builder.Length != folded.Length)
        {
            changes.Add("spaces removed");
        }

        return (builder.ToString(), changes);
    }
}
