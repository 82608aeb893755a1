using System.Globalization;
using System.Text;
using System.Text.Json;
using DataHub.Quality.Functions;

namespace DataHub.Host.Tests.Samples;

/// <summary>
/// A sample source file read back independently of the generator: its encoding as the bytes show it, its header
/// (CSV) or keys (NDJSON), its records, and the dirt they carry, counted by looking at the values.
/// </summary>
internal sealed class SourceFile
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    static SourceFile() => System.Text.Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    private SourceFile(string encoding, IReadOnlyList<string> headers, IReadOnlyList<Record> records)
    {
        Encoding = encoding;
        Headers = headers;
        Records = records;
    }

    /// <summary>utf-8, utf-8-bom or gbk.</summary>
    public string Encoding { get; }

    public IReadOnlyList<string> Headers { get; }

    public IReadOnlyList<Record> Records { get; }

    public static SourceFile Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var bom = bytes.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]);
        string text;
        string encoding;
        try
        {
            text = StrictUtf8.GetString(bytes, bom ? 3 : 0, bytes.Length - (bom ? 3 : 0));
            encoding = bom ? "utf-8-bom" : "utf-8";
        }
        catch (DecoderFallbackException)
        {
            text = System.Text.Encoding.GetEncoding("GB18030").GetString(bytes);
            encoding = "gbk";
        }

        var lines = text.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0).ToList();
        if (path.EndsWith(".ndjson", StringComparison.Ordinal))
        {
            var records = new List<Record>();
            List<string>? keys = null;
            foreach (var line in lines)
            {
                using var json = JsonDocument.Parse(line);
                var properties = json.RootElement.EnumerateObject().ToList();
                keys ??= properties.Select(p => p.Name).ToList();
                records.Add(new Record(line, properties.Select(p => p.Value.GetString() ?? string.Empty).ToArray(), properties.Select(p => p.Name).ToArray()));
            }

            return new SourceFile(encoding, keys ?? [], records);
        }

        var headers = SplitCsv(lines[0]);
        return new SourceFile(encoding, headers, lines.Skip(1).Select(l => new Record(l, SplitCsv(l), headers)).ToList());
    }

    /// <summary>
    /// Counts the dirt by kind (the labels of samples/README.md): field-level kinds in the given columns, duplicates
    /// (a record equal to an earlier one) and extra fields (more CSV fields than the header).
    /// </summary>
    public Dictionary<string, int> CountDirt(IReadOnlyDictionary<string, string> columns)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal)
        {
            ["blank"] = 0, ["无"] = 0, ["full-width"] = 0, ["duplicate"] = 0, ["impossible date"] = 0, ["negative"] = 0, ["bad check digit"] = 0, ["extra field"] = 0,
        };
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var record in Records)
        {
            if (!seen.Add(record.Raw))
            {
                counts["duplicate"]++;
            }

            if (record.Fields.Length > Headers.Count)
            {
                counts["extra field"]++;
            }

            string? Value(string kind) => columns.TryGetValue(kind, out var header) ? record[header] : null;
            if (Value("blank") is { } blank && blank.Trim().Length == 0)
            {
                counts["blank"]++;
            }

            if (Value("无") == "无")
            {
                counts["无"]++;
            }

            if (Value("full-width") is { } wide && wide.Any(c => c is >= '０' and <= '９'))
            {
                counts["full-width"]++;
            }

            if (Value("impossible date") is { } date && IsImpossibleDate(date))
            {
                counts["impossible date"]++;
            }

            if (Value("negative") is { } negative && negative.StartsWith('-')
                && decimal.TryParse(negative, NumberStyles.Number, CultureInfo.InvariantCulture, out var number) && number < 0)
            {
                counts["negative"]++;
            }

            if (columns.TryGetValue("bad check digit", out var idHeader) && HasWrongCheck(idHeader, record[idHeader]))
            {
                counts["bad check digit"]++;
            }
        }

        return counts;
    }

    /// <summary>Shaped like a date (YYYY-MM-DD, with or without a time, or YYYY-MM) but no such day or month exists.</summary>
    internal static bool IsImpossibleDate(string value)
    {
        if (value.Length == 7 && value[4] == '-' && int.TryParse(value[..4], CultureInfo.InvariantCulture, out _)
            && int.TryParse(value[5..], CultureInfo.InvariantCulture, out var month))
        {
            return month is < 1 or > 12;
        }

        return value.Length >= 10 && value[4] == '-' && value[7] == '-' && value[..10].Replace("-", string.Empty, StringComparison.Ordinal).All(char.IsAsciiDigit)
            && !DateOnly.TryParseExact(value[..10], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _);
    }

    /// <summary>An 18-character identifier in its alphabet whose check character is wrong.</summary>
    internal static bool HasWrongCheck(string header, string value)
    {
        if (value.Length != 18 || !value.All(char.IsAscii))
        {
            return false;
        }

        var bytes = System.Text.Encoding.ASCII.GetBytes(value);
        return header.EndsWith("公民身份号码", StringComparison.Ordinal)
            ? value[..17].All(char.IsAsciiDigit) && !CheckDigits.IsValidCitizenId(bytes)
            : CheckDigits.CreditCodeCheck(bytes.AsSpan(0, 17)) is not null && !CheckDigits.IsValidCreditCode(bytes);
    }

    /// <summary>One CSV line's fields (quotes and doubled quotes as RFC 4180 writes them).</summary>
    internal static string[] SplitCsv(string line)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else
            {
                field.Append(c);
            }
        }

        fields.Add(field.ToString());
        return fields.ToArray();
    }

    /// <summary>One record: its raw text and its fields (by position, and by header or key).</summary>
    internal sealed class Record(string raw, string[] fields, IReadOnlyList<string> names)
    {
        public string Raw { get; } = raw;

        public string[] Fields { get; } = fields;

        public string this[string name] => names.ToList().IndexOf(name) is var i and >= 0 && i < Fields.Length ? Fields[i] : string.Empty;
    }
}
