using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace DataHub.Catalog.Audit;

/// <summary>
/// The bytes an audit row's hash is computed over, built only from what the database returns for the row so that
/// verification recomputes exactly what the appender hashed.
/// </summary>
/// <remarks>
/// <para>hash = SHA-256(prev_hash ‖ UTF-8(canonical)), prev_hash being the previous row's 32-byte hash (32 zero bytes
/// for seq 1) and canonical a JSON array without whitespace:</para>
/// <code>["datahub.audit.v1",seq,"at","actor","department"|null,"action","target"|null,"outcome",detail]</code>
/// <list type="bullet">
/// <item>seq: decimal integer;</item>
/// <item>at: UTC, <c>yyyy-MM-ddTHH:mm:ss.ffffffZ</c> (always six fraction digits: PostgreSQL's microseconds);</item>
/// <item>outcome: <c>ok</c>, <c>denied</c> or <c>error</c>;</item>
/// <item>detail: the jsonb value as PostgreSQL prints it, re-written with object keys sorted by ordinal (UTF-16) order,
/// no whitespace, numbers exactly as PostgreSQL prints them, strings escaped only for <c>"</c>, <c>\</c> and
/// control characters below U+0020 (as <c>\u00xx</c>, lower-case hex); everything else is written as itself.</item>
/// </list>
/// </remarks>
internal static class AuditCanonicalForm
{
    public const string Version = "datahub.audit.v1";

    public static byte[] Genesis { get; } = new byte[32];

    public static string Canonical(
        long seq, DateTime at, string actor, string? department, string action, string? target, string outcome, string detailJson)
    {
        var text = new StringBuilder(256);
        text.Append('[');
        WriteString(text, Version);
        text.Append(',').Append(seq.ToString(CultureInfo.InvariantCulture)).Append(',');
        WriteString(text, FormatTime(at));
        text.Append(',');
        WriteString(text, actor);
        text.Append(',');
        WriteString(text, department);
        text.Append(',');
        WriteString(text, action);
        text.Append(',');
        WriteString(text, target);
        text.Append(',');
        WriteString(text, outcome);
        text.Append(',');
        using (var detail = JsonDocument.Parse(detailJson))
        {
            WriteValue(text, detail.RootElement);
        }

        return text.Append(']').ToString();
    }

    public static byte[] Hash(ReadOnlySpan<byte> prevHash, string canonical)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(prevHash);
        sha.AppendData(Encoding.UTF8.GetBytes(canonical));
        return sha.GetHashAndReset();
    }

    public static string FormatTime(DateTime at) =>
        (at.Kind == DateTimeKind.Local ? at.ToUniversalTime() : at).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    public static string Outcome(AuditOutcome outcome) => outcome switch
    {
        AuditOutcome.Ok => "ok",
        AuditOutcome.Denied => "denied",
        AuditOutcome.Error => "error",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "Unknown audit outcome."),
    };

    private static void WriteValue(StringBuilder text, JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                text.Append('{');
                var first = true;
                foreach (var property in value.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
                {
                    if (!first)
                    {
                        text.Append(',');
                    }

                    first = false;
                    WriteString(text, property.Name);
                    text.Append(':');
                    WriteValue(text, property.Value);
                }

                text.Append('}');
                break;
            case JsonValueKind.Array:
                text.Append('[');
                var index = 0;
                foreach (var item in value.EnumerateArray())
                {
                    if (index++ > 0)
                    {
                        text.Append(',');
                    }

                    WriteValue(text, item);
                }

                text.Append(']');
                break;
            case JsonValueKind.String:
                WriteString(text, value.GetString());
                break;
            case JsonValueKind.Number:
                text.Append(value.GetRawText());
                break;
            case JsonValueKind.True:
                text.Append("true");
                break;
            case JsonValueKind.False:
                text.Append("false");
                break;
            default:
                text.Append("null");
                break;
        }
    }

    private static void WriteString(StringBuilder text, string? value)
    {
        if (value is null)
        {
            text.Append("null");
            return;
        }

        text.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"':
                    text.Append("\\\"");
                    break;
                case '\\':
                    text.Append("\\\\");
                    break;
                case < ' ':
                    text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    break;
                default:
                    text.Append(c);
                    break;
            }
        }

        text.Append('"');
    }
}
