using System.Globalization;

namespace DataHub.Exchange.Requests;

/// <summary>
/// What a row-filter condition may say, shared by requests (checked against the catalogued column types) and by
/// queries under a grant (checked against the delivered types): the operators a kind of column allows, how many
/// values each takes, and each value parsed as its column's type.
/// </summary>
public static class RowFilterRules
{
    private static readonly string[] Ordered = ["eq", "in", "between", "lt", "le", "gt", "ge"];
    private static readonly string[] Text = ["eq", "in", "like_prefix"];
    private static readonly string[] Boolean = ["eq"];

    /// <summary>text, date, timestamp, number or boolean, from a DuckDB type.</summary>
    /// <param name="dataType">Such as <c>VARCHAR</c>, <c>DECIMAL(12,2)</c>, <c>DATE</c>.</param>
    public static string KindOf(string dataType)
    {
        ArgumentNullException.ThrowIfNull(dataType);
        var type = dataType.ToUpperInvariant();
        return type switch
        {
            _ when type.StartsWith("VARCHAR", StringComparison.Ordinal) || type == "TEXT" => "text",
            "DATE" => "date",
            _ when type.StartsWith("TIMESTAMP", StringComparison.Ordinal) => "timestamp",
            "BOOLEAN" => "boolean",
            _ => "number",
        };
    }

    /// <summary>The operators a kind of column allows.</summary>
    /// <param name="kind">A result of <see cref="KindOf"/>.</param>
    public static IReadOnlyList<string> OperatorsFor(string kind) => kind switch { "text" => Text, "boolean" => Boolean, _ => Ordered };

    /// <summary>What is wrong with the number of values for an operator, or null when it is right.</summary>
    /// <param name="op">The operator.</param>
    /// <param name="count">The values given.</param>
    public static string? CountProblem(string op, int count)
    {
        var ok = op switch { "between" => count == 2, "in" => count is >= 1 and <= 1000, _ => count == 1 };
        var wanted = op == "between" ? "two values" : op == "in" ? "1 to 1000 values" : "one value";
        return ok ? null : string.Create(CultureInfo.InvariantCulture, $"{op} takes {wanted}, not {count}");
    }

    /// <summary>A value as its kind's .NET type (string, DateOnly, DateTime, bool or decimal), or null when it is not one.</summary>
    /// <param name="kind">A result of <see cref="KindOf"/>.</param>
    /// <param name="value">The value as text.</param>
    public static object? Parse(string kind, string? value) => value is null ? null : kind switch
    {
        "text" => value,
        "date" => DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null,
        "timestamp" => DateTime.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var t) ? t : null,
        "boolean" => value switch { "true" => true, "false" => false, _ => null },
        _ => decimal.TryParse(value, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var n) ? n : null,
    };
}
