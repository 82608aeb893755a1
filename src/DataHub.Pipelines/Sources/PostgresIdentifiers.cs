using System.Text;
using System.Text.RegularExpressions;

namespace DataHub.Pipelines.Sources;

/// <summary>The identifiers a PostgreSQL source definition may name, and how they are quoted.</summary>
internal static partial class PostgresIdentifiers
{
    /// <summary>A letter or underscore, then letters, digits, underscores or dollars; at most 63 bytes (PostgreSQL's NAMEDATALEN).</summary>
    public static bool IsIdentifier(string? name) =>
        name is not null && PlainIdentifier().IsMatch(name) && Encoding.UTF8.GetByteCount(name) <= 63;

    /// <summary><c>schema.table</c> or <c>table</c>, each part a plain identifier.</summary>
    public static bool IsTableName(string? name)
    {
        if (name is null)
        {
            return false;
        }

        var parts = name.Split('.');
        return parts.Length is 1 or 2 && parts.All(IsIdentifier);
    }

    /// <summary>Double-quotes an identifier, doubling any quote inside (names read from the database can hold anything).</summary>
    public static string Quote(string name) => $"\"{name.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";

    /// <summary>A checked table name, each part quoted.</summary>
    public static string QuoteTable(string name) => string.Join('.', name.Split('.').Select(Quote));

    /// <summary>The query without the trailing semicolons and white space people tend to leave.</summary>
    public static string TrimQuery(string query) => query.Trim().TrimEnd(';').TrimEnd();

    [GeneratedRegex(@"^[\p{L}_][\p{L}\p{N}_$]*$")]
    private static partial Regex PlainIdentifier();
}
