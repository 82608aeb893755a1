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

    /// <summary>
    /// Picks the encoding: the declared one (<c>utf-8</c>, <c>utf-8-bom</c>, <c>gbk</c> or <c>gb18030</c>), or for
    /// <c>auto</c> UTF-8 when the bytes are valid UTF-8, else GB18030. A UTF-8 byte order mark is skipped by the readers.
    /// </summary>
    public static Encoding DetectEncoding(string path, string declared)
    {
        switch (declared)
        {
            case "utf-8":
            case "utf-8-bom":
                return StrictUtf8;
            case "gbk":
            case "gb18030":
                // GB18030 is a superset of GBK and of GB2312: every GBK file decodes the same under it.
                return Encoding.GetEncoding("GB18030");
        }

        // Valid UTF-8 throughout (checked block by block, vectorised), else GB18030. A character split between two
        // blocks is carried over to the next.
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        var buffer = new byte[1 << 20];
        var carried = 0;
        int read;
        while ((read = stream.Read(buffer, carried, buffer.Length - carried)) > 0)
        {
            var length = carried + read;
            var complete = CompleteUtf8Prefix(buffer.AsSpan(0, length));
            if (!System.Text.Unicode.Utf8.IsValid(buffer.AsSpan(0, complete)))
            {
                return Encoding.GetEncoding("GB18030");
            }

            carried = length - complete;
            buffer.AsSpan(complete, carried).CopyTo(buffer);
        }

        return carried == 0 || System.Text.Unicode.Utf8.IsValid(buffer.AsSpan(0, carried)) ? StrictUtf8 : Encoding.GetEncoding("GB18030");
    }

    /// <summary>The length of the longest prefix that does not end inside a multi-byte UTF-8 character.</summary>
    private static int CompleteUtf8Prefix(ReadOnlySpan<byte> bytes)
    {
        for (var back = 1; back <= Math.Min(3, bytes.Length); back++)
        {
            var b = bytes[^back];
            if ((b & 0xC0) != 0x80)
            {
                // A lead byte (or ASCII) `back` bytes from the end: complete when its sequence fits.
                var needed = b < 0x80 ? 1 : b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
                return needed <= back ? bytes.Length : bytes.Length - back;
            }
        }

        return bytes.Length;
    }

    /// <summary>
    /// Writes the normalised copy. <paramref name="mapHeader"/> turns a source header into a physical column name,
    /// or null for a column the catalog does not know (kept as <c>__extra_N</c>).
    /// </summary>
    public static DecodedFile Normalize(string sourcePath, string outputPath, string declaredEncoding, char delimiter, Func<string, string?> mapHeader)
    {
        ArgumentNullException.ThrowIfNull(mapHeader);
        var encoding = DetectEncoding(sourcePath, declaredEncoding);
        using var file = new FileStream(sourcePath, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        // Bytes are processed as UTF-8: a UTF-8 source as it is (no decoding), another encoding transcoded on the fly.
        using var source = encoding is UTF8Encoding ? (Stream)file : Encoding.CreateTranscodingStream(file, encoding, new UTF8Encoding(false), leaveOpen: true);
        using var output = new FileStream(outputPath, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        var lines = new LineSplitter(source);
        long lineNumber = 0;
        long records = 0;
        var insideQuotes = false;
        List<string>? headers = null;
        var columns = new List<string>();
        var prefix = new byte[24];
        var delimiterByte = (byte)delimiter;
        while (lines.Next(out var line))
        {
            lineNumber++;
            if (line.Length > 0 && line[^1] == (byte)'\r')
            {
                line = line[..^1];
            }

            if (headers is null)
            {
                if (lineNumber == 1 && line.StartsWith("\uFEFF"u8))
                {
                    line = line[3..];
                }

                if (IsBlank(line))
                {
                    continue;
                }

                headers = SplitHeader(Encoding.UTF8.GetString(line), delimiter);
                for (var i = 0; i < headers.Count; i++)
                {
                    columns.Add(mapHeader(headers[i]) ?? $"__extra_{i + 1}");
                }

                var duplicate = columns.GroupBy(c => c, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
                if (duplicate is not null)
                {
                    throw new IngestException($"{sourcePath}:{lineNumber}: two headers map to the column '{duplicate.Key}'.");
                }

                output.Write(Encoding.UTF8.GetBytes(LineColumn + string.Concat(columns.Select(c => delimiter + c)) + "\n"));
                continue;
            }

            if (!insideQuotes)
            {
                if (IsBlank(line))
                {
                    continue;
                }

                records++;
                System.Buffers.Text.Utf8Formatter.TryFormat(lineNumber, prefix, out var written);
                prefix[written] = delimiterByte;
                output.Write(prefix, 0, written + 1);
            }

            output.Write(line);
            output.WriteByte((byte)'\n');
            insideQuotes ^= line.Count((byte)'"') % 2 == 1;
        }

        return new DecodedFile(sourcePath, outputPath, encoding.WebName, headers ?? [], columns, records, lineNumber);
    }

    private static bool IsBlank(ReadOnlySpan<byte> line) => line.IndexOfAnyExcept((byte)' ', (byte)'\t', (byte)'\r') < 0;

    /// <summary>Splits a stream into lines (without the '\n'), reading 1 MB at a time; a line may be longer than that.</summary>
    private sealed class LineSplitter(Stream stream)
    {
        private byte[] _buffer = new byte[1 << 20];
        private int _start;
        private int _end;
        private bool _eof;

        public bool Next(out ReadOnlySpan<byte> line)
        {
            while (true)
            {
                var newline = _buffer.AsSpan(_start, _end - _start).IndexOf((byte)'\n');
                if (newline >= 0)
                {
                    line = _buffer.AsSpan(_start, newline);
                    _start += newline + 1;
                    return true;
                }

                if (_eof)
                {
                    if (_start < _end)
                    {
                        line = _buffer.AsSpan(_start, _end - _start);
                        _start = _end;
                        return true;
                    }

                    line = default;
                    return false;
                }

                // Keep the partial line, make room (grow for a line longer than the buffer), read more.
                var kept = _end - _start;
                if (kept == _buffer.Length)
                {
                    Array.Resize(ref _buffer, _buffer.Length * 2);
                }
                else
                {
                    _buffer.AsSpan(_start, kept).CopyTo(_buffer);
                }

                _start = 0;
                _end = kept;
                var read = stream.Read(_buffer, _end, _buffer.Length - _end);
                if (read == 0)
                {
                    _eof = true;
                }

                _end += read;
            }
        }
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
