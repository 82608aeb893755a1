using System.Text;

namespace DataHub.Pipelines.Ingest;

/// <summary>
/// Turns a department's CSV file into what DuckDB reads: UTF-8 without BOM, whatever the source encoding
/// (UTF-8, UTF-8 with BOM, or GBK/GB18030 as Windows export tools write it), the header replaced by the catalog's
/// physical column names, and each record prefixed with the physical line it starts on in the source file, so
/// that every rejected row can be reported with its real line number.
/// </summary>
public static class SourceDecoder
{
    /// <summary>The name of the column holding the source line number.</summary>
    public const string LineColumn = "__line";

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    static SourceDecoder() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <summary>Picks the encoding: the declared one, or for <c>auto</c> UTF-8 when the bytes are valid UTF-8, else GB18030.</summary>
    public static Encoding DetectEncoding(string path, string declared)
    {
        switch (declared)
        {
            case "utf-8" or "utf-8-bom":
                return StrictUtf8;
            case "gbk" or "gb18030":
                // GB18030 is a superset of GBK and of GB2312: every GBK file decodes the same under it.
                return Encoding.GetEncoding("GB18030");
        }

        using var stream = File.OpenRead(path);
        var decoder = StrictUtf8.GetDecoder();
        var bytes = new byte[1 << 20];
        var chars = new char[StrictUtf8.GetMaxCharCount(bytes.Length)];
        int read;
        try
        {
            while ((read = stream.Read(bytes, 0, bytes.Length)) > 0)
            {
                decoder.GetChars(bytes, 0, read, chars, 0, flush: false);
            }

            decoder.GetChars(bytes, 0, 0, chars, 0, flush: true);
            return StrictUtf8;
        }
        catch (DecoderFallbackException)
        {
            return Encoding.GetEncoding("GB18030");
        }
    }

    /// <summary>
    /// Writes the normalised copy. <paramref name="mapHeader"/> turns a source header into a physical column name,
    /// or null for a column the catalog does not know (kept as <c>__extra_N</c>).
    /// </summary>
    public static DecodedFile Normalize(string sourcePath, string outputPath, string declaredEncoding, char delimiter, Func<string, string?> mapHeader)
    {
        ArgumentNullException.ThrowIfNull(mapHeader);
        var encoding = DetectEncoding(sourcePath, declaredEncoding);
        using var reader = new StreamReader(sourcePath, encoding, detectEncodingFromByteOrderMarks: true);
        using var writer = new StreamWriter(outputPath, append: false, new UTF8Encoding(false));
        writer.NewLine = "\n";

        string? line;
        long lineNumber = 0;
        long records = 0;
        var insideQuotes = false;
        List<string>? headers = null;
        var columns = new List<string>();
        while ((line = reader.ReadLine()) is not null)
        {
            lineNumber++;
            if (headers is null)
            {
                if (string.IsNullOrWhiteSpace(line))
                {
                    continue;
                }

                headers = SplitHeader(line.TrimStart('\uFEFF'), delimiter);
                for (var i = 0; i < headers.Count; i++)
                {
                    columns.Add(mapHeader(headers[i]) ?? $"__extra_{i + 1}");
                }

                var duplicate = columns.GroupBy(c => c, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
                if (duplicate is not null)
                {
                    throw new IngestException($"{sourcePath}:{lineNumber}: two headers map to the column '{duplicate.Key}'.");
                }

                writer.Write(LineColumn);
                foreach (var column in columns)
                {
                    writer.Write(delimiter);
                    writer.Write(column);
                }

                writer.WriteLine();
                continue;
            }

            if (!insideQuotes)
            {
                if (string.IsNullOrWhiteSpace(line))
                {
                    continue;
                }

                records++;
                writer.Write(lineNumber);
                writer.Write(delimiter);
            }

            writer.WriteLine(line);
            insideQuotes ^= line.Count(c => c == '"') % 2 == 1;
        }

        return new DecodedFile(sourcePath, outputPath, encoding.WebName, headers ?? [], columns, records, lineNumber);
    }

    private static List<string> SplitHeader(string line, char delimiter)
    {
        var cells = new List<string>();
        var current = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (c == '"')
            {
                if (quoted && i + 1 < line.Length && line[i + 1] == '"')
                {
                    current.Append('"');
                    i++;
                }
                else
                {
                    quoted = !quoted;
                }
            }
            else if (c == delimiter && !quoted)
            {
                cells.Add(current.ToString().Trim());
                current.Clear();
            }
            else
            {
                current.Append(c);
            }
        }

        cells.Add(current.ToString().Trim());
        return cells;
    }
}
