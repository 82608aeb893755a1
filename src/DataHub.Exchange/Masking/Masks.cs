using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace DataHub.Exchange.Masking;

/// <summary>
/// The display masks as pure functions. Text is counted in text elements (what a reader sees as one character), never
/// in bytes or UTF-16 units. Null gives null and the empty string gives itself; a value too short for the kept parts to
/// leave anything hidden is hidden entirely.
/// </summary>
public static partial class Masks
{
    /// <summary>The character that stands for each hidden character.</summary>
    public const char Fill = '*';

    /// <summary>What replaces the hidden tail of an address (fixed, so the length of the rest is not given away).</summary>
    public const string AddressFill = "****";

    /// <summary>The shortest key <see cref="Hash(string?, ReadOnlySpan{byte}, int)"/> accepts, in bytes.</summary>
    public const int MinimumKeyBytes = 16;

    /// <summary>Keeps the first and last characters and replaces each one between with <see cref="Fill"/>.</summary>
    /// <param name="value">The value (surrounding white space is dropped first).</param>
    /// <param name="first">How many characters to keep at the start.</param>
    /// <param name="last">How many characters to keep at the end.</param>
    /// <returns>Such as 340102********1234; all <see cref="Fill"/> when the value has no more than <paramref name="first"/> + <paramref name="last"/> characters.</returns>
    public static string? Keep(string? value, int first, int last)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(first);
        ArgumentOutOfRangeException.ThrowIfNegative(last);
        if (value is null)
        {
            return null;
        }

        var text = new StringInfo(value.Trim());
        var length = text.LengthInTextElements;
        if (length == 0)
        {
            return string.Empty;
        }

        if ((long)first + last >= length)
        {
            return new string(Fill, length);
        }

        return string.Concat(
            text.SubstringByTextElements(0, first),
            new string(Fill, length - first - last),
            last == 0 ? string.Empty : text.SubstringByTextElements(length - last, last));
    }

    /// <summary>A person's name: the first character kept (张三丰 → 张**).</summary>
    /// <param name="value">The name.</param>
    public static string? Name(string? value) => Keep(value, 1, 0);

    /// <summary>A citizen ID number: the first 6 (the region) and last 4 kept (340102********1234; 15-digit numbers 340102*****1234).</summary>
    /// <param name="value">The ID number.</param>
    public static string? CitizenId(string? value) => Keep(value, 6, 4);

    /// <summary>A phone number: the first 3 and last 4 kept (138****5678).</summary>
    /// <param name="value">The phone number.</param>
    public static string? Phone(string? value) => Keep(value, 3, 4);

    /// <summary>
    /// An address cut after its township (街道, 镇, 乡 or a township-like unit such as 开发区) or its county (区, 县, 旗 or county-level 市), the rest replaced
    /// by <see cref="AddressFill"/>: 安徽省合肥市蜀山区三里庵街道长江西路100号 → 安徽省合肥市蜀山区三里庵街道****. Cut at the
    /// township, an address that names none is cut at its county; one whose county cannot be read is hidden entirely.
    /// </summary>
    /// <param name="value">The address as written.</param>
    /// <param name="cut">The lowest level kept.</param>
    public static string? Address(string? value, AddressCut cut = AddressCut.Township)
    {
        if (value is null)
        {
            return null;
        }

        var text = value.Trim();
        if (text.Length == 0)
        {
            return string.Empty;
        }

        var match = AddressLevels().Match(text);
        if (!match.Success)
        {
            return AddressFill;
        }

        var kept = cut == AddressCut.Township && match.Groups["township"].Success
            ? match.Groups["township"].Index + match.Groups["township"].Length
            : match.Groups["county"].Index + match.Groups["county"].Length;
        return text[..kept] + AddressFill;
    }

    /// <summary>
    /// A keyed hash (HMAC-SHA256) as lower-case hex, truncated: a stable pseudonym that cannot be reversed or recomputed
    /// without the key, so equal values still join.
    /// </summary>
    /// <param name="value">The value, hashed as UTF-8.</param>
    /// <param name="key">The secret key, at least <see cref="MinimumKeyBytes"/> bytes.</param>
    /// <param name="length">How many hex characters to keep, 8 to 64.</param>
    public static string? Hash(string? value, ReadOnlySpan<byte> key, int length = 16)
    {
        if (key.Length < MinimumKeyBytes)
        {
            throw new ArgumentException($"A mask key has at least {MinimumKeyBytes} bytes.", nameof(key));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(length, 8);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, 64);
        if (value is null)
        {
            return null;
        }

        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(value), mac);
        return Convert.ToHexStringLower(mac)[..length];
    }

    // Administrative levels from the start of the address, each a short name without digits or road, door and building
    // words followed by its suffix: an optional province and city, a county, an optional township. Township-level units
    // are 街道, 镇 and 乡 (a one-character name before a doubled 镇 as in 撮镇镇, while 朱巷镇镇北社区 is 朱巷镇, and the 路 or 街 of 明光路街道 and 三里街街道 belong to the name) and the
    // statistical code's township-like units (开发区, 工业园, 示范园, 农场, 管委会 …, with an alias in full-width brackets as in
    // 庐阳工业区（林店街道）). 社区 is not taken for a township: it is usually the level below, so such addresses are cut
    // at the county. A municipality or county-level city with no county before it counts as the county.
    [GeneratedRegex(
        """^(?<province>[^0-9０-９路街弄号栋单室组*]{1,8}?(?:省|自治区))?(?<city>[^0-9０-９路街弄号栋单室组*]{1,8}?(?:自治州|地区|市|州|盟))?(?<county>[^0-9０-９路街弄号栋单室组*]{1,8}?(?:区|县|旗|市))(?<township>(?:[^0-9０-９路街弄号栋单室组*]镇镇|[^0-9０-９路街弄号栋单室组*]{1,14}?(?:路街道|街街道|街道|镇|乡|开发区|工业区|园区|工业园|化工园|示范园|农场|林场|托管区|合作区|管理委员会|管委会)(?:管理委员会|管委会)?)(?:（[^）]{1,12}）)?)?""",
        RegexOptions.None,
        matchTimeoutMilliseconds: 1000)]
    private static partial Regex AddressLevels();
}
