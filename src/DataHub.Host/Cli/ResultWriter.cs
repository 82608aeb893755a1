using System.Globalization;
using System.Text;
using System.Text.Json;
using DataHub.DuckDb;

namespace DataHub.Host.Cli;

/// <summary>Writes a query result as an aligned table, CSV (RFC 4180) or a JSON array of objects.</summary>
public static class ResultWriter
{
    /// <summary>Rows an aligned table shows before it stops and says how many more there were.</summary>
    public const int TableRowLimit = 1000;

    /// <summary>Writes the reader's rows in a format (table, csv or json); returns the number of rows read.</summary>
    public static async Task<long> WriteAsync(DuckDbDataReader reader, string format, TextWriter output, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(output);
        return format switch
        {
            "table" => await WriteTableAsync(reader, output, ct),
            "csv" => await WriteCsvAsync(reader, output, ct),
            "json" => await WriteJsonAsync(reader, output, ct),
            _ => throw new ArgumentException($"--format is table, csv or json, not '{format}'."),
        };
    }

    private static async Task<long> WriteTableAsync(DuckDbDataReader reader, TextWriter output, CancellationToken ct)
    {
        var names = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToArray();
        var rows = new List<string[]>();
        long total = 0;
        while (reader.Read())
        {
            ct.ThrowIfCancellationRequested();
            if (++total <= TableRowLimit)
            {
                rows.Add(Enumerable.Range(0, names.Length).Select(i => reader.IsDBNull(i) ? "NULL" : reader.GetString(i)).ToArray());
            }
        }

        var widths = names.Select((n, i) => Math.Max(Width(n), rows.Count == 0 ? 0 : rows.Max(r => Width(r[i])))).ToArray();
        await output.WriteLineAsync(Line(names, widths));
        await output.WriteLineAsync(string.Join("-+-", widths.Select(w => new string('-', w))));
        foreach (var row in rows)
        {
            await output.WriteLineAsync(Line(row, widths));
        }

        await output.WriteLineAsync(total > TableRowLimit
            ? string.Create(CultureInfo.InvariantCulture, $"({total:N0} rows, first {TableRowLimit:N0} shown; use --format csv or json for all)")
            : string.Create(CultureInfo.InvariantCulture, $"({total:N0} row{(total == 1 ? string.Empty : "s")})"));
        return total;
    }

    private static string Line(string[] cells, int[] widths) =>
        string.Join(" | ", cells.Select((c, i) => c + new string(' ', widths[i] - Width(c))));

    // East Asian characters take two columns in a terminal.
    private static int Width(string text) => text.Sum(c => c is >= '\u1100' and (<= '\u115F' or >= '\u2E80' and <= '\uA4CF' or >= '\uAC00' and <= '\uD7A3' or >= '\uF900' and <= '\uFAFF' or >= '\uFF00' and <= '\uFF60') ? 2 : 1);

    private static async Task<long> WriteCsvAsync(DuckDbDataReader reader, TextWriter output, CancellationToken ct)
    {
        await output.WriteLineAsync(string.Join(',', Enumerable.Range(0, reader.FieldCount).Select(i => Csv(reader.GetName(i)))));
        long total = 0;
        var line = new StringBuilder();
        while (reader.Read())
        {
            ct.ThrowIfCancellationRequested();
            line.Clear();
            for (var i = 0; i < reader.FieldCount; i++)
            {
                if (i > 0)
                {
                    line.Append(',');
                }

                if (!reader.IsDBNull(i))
                {
                    line.Append(Csv(reader.GetString(i)));
                }
            }

            await output.WriteLineAsync(line.ToString());
            total++;
        }

        return total;
    }

    private static string Csv(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;

    private static async Task<long> WriteJsonAsync(DuckDbDataReader reader, TextWriter output, CancellationToken ct)
    {
        var names = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToArray();
        using var buffer = new MemoryStream();
        long total = 0;
        await using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartArray();
            while (reader.Read())
            {
                ct.ThrowIfCancellationRequested();
                json.WriteStartObject();
                for (var i = 0; i < names.Length; i++)
                {
                    json.WritePropertyName(names[i]);
                    WriteValue(json, reader, i);
                }

                json.WriteEndObject();
                total++;
            }

            json.WriteEndArray();
        }

        await output.WriteLineAsync(Encoding.UTF8.GetString(buffer.ToArray()));
        return total;
    }

    private static void WriteValue(Utf8JsonWriter json, DuckDbDataReader reader, int i)
    {
        if (reader.IsDBNull(i))
        {
            json.WriteNullValue();
            return;
        }

        switch (reader.GetValue(i))
        {
            case bool b:
                json.WriteBooleanValue(b);
                break;
            case sbyte or short or int or long or byte or ushort or uint:
                json.WriteNumberValue(reader.GetInt64(i));
                break;
            case ulong u:
                json.WriteNumberValue(u);
                break;
            case float or double:
                var d = reader.GetDouble(i);
                if (double.IsFinite(d))
                {
                    json.WriteNumberValue(d);
                }
                else
                {
                    json.WriteStringValue(reader.GetString(i));
                }

                break;
            case decimal m:
                json.WriteNumberValue(m);
                break;
            default:
                json.WriteStringValue(reader.GetString(i));
                break;
        }
    }
}
