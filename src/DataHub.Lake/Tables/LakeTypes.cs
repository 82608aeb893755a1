using System.Globalization;
using System.Text.RegularExpressions;

namespace DataHub.Lake.Tables;

/// <summary>The column types lake tables accept, and which changes between them keep every stored value.</summary>
public static partial class LakeTypes
{
    private static readonly string[] SignedChain = ["TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT"];
    private static readonly string[] UnsignedChain = ["UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT"];

    /// <summary>The canonical spelling (upper case, no spaces), or an exception naming the type.</summary>
    public static string Normalize(string type)
    {
        ArgumentNullException.ThrowIfNull(type);
        var t = type.Replace(" ", string.Empty, StringComparison.Ordinal).ToUpperInvariant();
        t = t switch
        {
            "INT" or "INT4" => "INTEGER",
            "INT8" or "LONG" => "BIGINT",
            "INT2" or "SHORT" => "SMALLINT",
            "INT1" => "TINYINT",
            "REAL" or "FLOAT4" => "FLOAT",
            "FLOAT8" => "DOUBLE",
            "STRING" or "TEXT" => "VARCHAR",
            "BOOL" => "BOOLEAN",
            "TIMESTAMPWITHTIMEZONE" => "TIMESTAMPTZ",
            _ => t,
        };
        return Supported().IsMatch(t)
            ? t
            : throw new LakeSchemaException($"'{type}' is not a type lake tables store (scalar DuckDB types: integers, FLOAT, DOUBLE, DECIMAL(p,s), VARCHAR, BLOB, BOOLEAN, DATE, TIME, TIMESTAMP, TIMESTAMPTZ, UUID).");
    }

    /// <summary>Null when <paramref name="from"/> can widen to <paramref name="to"/> without rewriting files; otherwise why not.</summary>
    public static string? WhyNotWiden(string from, string to)
    {
        from = Normalize(from);
        to = Normalize(to);
        if (from == to)
        {
            return "the column already has that type";
        }

        if (Widens(SignedChain, from, to) || Widens(UnsignedChain, from, to) || (from == "FLOAT" && to == "DOUBLE"))
        {
            return null;
        }

        if (Decimal(from) is { } a && Decimal(to) is { } b)
        {
            return a.Scale == b.Scale && b.Precision >= a.Precision
                ? null
                : "a DECIMAL can only gain precision with the same scale, or stored values would be rounded or overflow";
        }

        return $"{from} to {to} is not a widening (only larger integers of the same signedness, FLOAT to DOUBLE and DECIMAL precision increases are); " +
               "stored values could be lost or read differently. Add a new column and backfill it instead";
    }

    private static bool Widens(string[] chain, string from, string to)
    {
        var i = Array.IndexOf(chain, from);
        var j = Array.IndexOf(chain, to);
        return i >= 0 && j > i;
    }

    private static (int Precision, int Scale)? Decimal(string type)
    {
        var m = DecimalPattern().Match(type);
        return m.Success
            ? (int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture))
            : null;
    }

    [GeneratedRegex(@"^(BOOLEAN|TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|FLOAT|DOUBLE|VARCHAR|BLOB|DATE|TIME|TIMESTAMP|TIMESTAMPTZ|UUID|DECIMAL\(\d{1,2},\d{1,2}\))$")]
    private static partial Regex Supported();

    [GeneratedRegex(@"^DECIMAL\((\d{1,2}),(\d{1,2})\)$")]
    private static partial Regex DecimalPattern();
}
