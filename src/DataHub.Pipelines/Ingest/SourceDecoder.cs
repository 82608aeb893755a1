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
    /// <remarks>
    /// Works on large blocks that end at a line feed: a UTF-8 source is checked (for <c>auto</c>) and copied with
    /// its line numbers put in front, block by block, and a source found not to be UTF-8 half-way is started again as
    /// GB18030; a GBK/GB18030 source is transcoded in pieces on every core at once (a line feed byte never occurs
    /// inside a GB18030 character, so pieces split at line feeds decode exactly as the whole file would).
    /// </remarks>
    public static DecodedFile Normalize(string sourcePath, string outputPath, string declaredEncoding, char delimiter, Func<string, string?> mapHeader)
    {
        ArgumentNullException.ThrowIfNull(mapHeader);
        if (declaredEncoding is not ("gbk" or "gb18030"))
        {
            // Declared UTF-8 is copied as it is; for auto, the first invalid block means GB18030 after all.
            var utf8 = NormalizeUtf8(sourcePath, outputPath, delimiter, mapHeader, validate: declaredEncoding is not ("utf-8" or "utf-8-bom"));
            if (utf8 is not null)
            {
                return utf8;
            }
        }

        return NormalizeTranscoded(sourcePath, outputPath, Encoding.GetEncoding("GB18030"), delimiter, mapHeader);
    }

    /// <summary>Bytes read at a time.</summary>
    private const int BlockSize = 1 << 22;

    /// <summary>A UTF-8 source block by block; null when <paramref name="validate"/> finds it is not UTF-8.</summary>
    private static DecodedFile? NormalizeUtf8(string sourcePath, string outputPath, char delimiter, Func<string, string?> mapHeader, bool validate)
    {
        using var file = new FileStream(sourcePath, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        using var output = new FileStream(outputPath, FileMode.Create, FileAccess.Write, FileShare.None, 1);
        var writer = new LineWriter(sourcePath, output, delimiter, mapHeader);
        var buffer = new byte[BlockSize];
        var filled = 0;
        while (true)
        {
            var read = file.Read(buffer, filled, buffer.Length - filled);
            filled += read;
            var end = read == 0 ? filled : buffer.AsSpan(0, filled).LastIndexOf((byte)'\n') + 1;
            if (end == 0)
            {
                if (read == 0)
                {
                    break;
                }

                // No line feed yet: read on (the buffer grows for a line longer than it).
                if (filled == buffer.Length)
                {
                    Array.Resize(ref buffer, buffer.Length * 2);
                }

                continue;
            }

            // A block ends at a line feed (or the end of the file), so no character is split between two blocks.
            var block = buffer.AsSpan(0, end);
            if (validate && !System.Text.Unicode.Utf8.IsValid(block))
            {
                return null;
            }

            writer.Write(block);
            if (read == 0)
            {
                break;
            }

            buffer.AsSpan(end, filled - end).CopyTo(buffer);
            filled -= end;
        }

        return writer.Finish(outputPath, "utf-8");
    }

    /// <summary>A GB18030 (GBK, GB2312) source, transcoded to UTF-8 in pieces on every core by <see cref="Gb18030Transcoder"/>.</summary>
    private static DecodedFile NormalizeTranscoded(string sourcePath, string outputPath, Encoding encoding, char delimiter, Func<string, string?> mapHeader)
    {
        using var file = new FileStream(sourcePath, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        using var output = new FileStream(outputPath, FileMode.Create, FileAccess.Write, FileShare.None, 1);
        var writer = new LineWriter(sourcePath, output, delimiter, mapHeader);
        var pieces = Math.Max(1, Environment.ProcessorCount) * 2;
        var buffer = new byte[BlockSize * pieces];
        var filled = 0;
        var decoded = new byte[pieces][];
        var lengths = new int[pieces];
        while (true)
        {
            var read = file.Read(buffer, filled, buffer.Length - filled);
            filled += read;
            var end = read == 0 ? filled : buffer.AsSpan(0, filled).LastIndexOf((byte)'\n') + 1;
            if (end == 0)
            {
                if (read == 0)
                {
                    break;
                }

                if (filled == buffer.Length)
                {
                    Array.Resize(ref buffer, buffer.Length * 2);
                }

                continue;
            }

            // Pieces of about equal size, each ending at a line feed (the last at the block's end).
            var bounds = new int[pieces + 1];
            for (var p = 1; p < pieces; p++)
            {
                var target = Math.Max(bounds[p - 1], (int)((long)end * p / pieces));
                var feed = buffer.AsSpan(target, end - target).IndexOf((byte)'\n');
                bounds[p] = feed < 0 ? end : target + feed + 1;
            }

            bounds[pieces] = end;
            var source = buffer;
            Parallel.For(0, pieces, p => lengths[p] = Transcode(source.AsSpan(bounds[p], bounds[p + 1] - bounds[p]), ref decoded[p]));
            for (var p = 0; p < pieces; p++)
            {
                writer.Write(decoded[p].AsSpan(0, lengths[p]));
            }

            if (read == 0)
            {
                break;
            }

            buffer.AsSpan(end, filled - end).CopyTo(buffer);
            filled -= end;
        }

        return writer.Finish(outputPath, encoding.WebName);
    }

    /// <summary>Transcodes a piece that ends at a line feed (or the file's end) to UTF-8 into <paramref name="output"/> (grown as needed); returns the bytes written.</summary>
    private static int Transcode(ReadOnlySpan<byte> piece, ref byte[] output)
    {
        var most = Gb18030Transcoder.MaxUtf8Bytes(piece.Length);
        if (output is null || output.Length < most)
        {
            output = new byte[most];
        }

        return Gb18030Transcoder.Transcode(piece, output);
    }

    private static bool IsBlank(ReadOnlySpan<byte> line) => line.IndexOfAnyExcept((byte)' ', (byte)'\t', (byte)'\r') < 0;

    /// <summary>
    /// Writes the normalised lines: the header mapped to column names, then each record prefixed with the physical
    /// line it starts on; blank lines between records are dropped, lines inside a quoted field kept as they are.
    /// Takes UTF-8 blocks that end at a line feed (the last one may not).
    /// </summary>
    private sealed class LineWriter(string sourcePath, Stream output, char delimiter, Func<string, string?> mapHeader)
    {
        private readonly byte _delimiter = (byte)delimiter;
        private readonly List<string> _columns = [];
        private byte[] _out = new byte[BlockSize * 2];
        private List<string>? _headers;
        private long _lineNumber;
        private long _records;
        private int _needed;
        private bool _insideQuotes;

        public void Write(ReadOnlySpan<byte> block)
        {
            // Worst case per line: the number, the delimiter and a line feed in front of the line's own bytes.
            var needed = block.Length + ((block.Count((byte)'\n') + 1) * 22);
            if (_out.Length < needed)
            {
                _out = new byte[needed];
            }

            _needed = needed;

            // Quote parity only matters where the block has a quote at all.
            var quotes = block.IndexOf((byte)'"') >= 0;
            var at = 0;
            while (!block.IsEmpty)
            {
                var feed = block.IndexOf((byte)'\n');
                var line = feed < 0 ? block : block[..feed];
                block = feed < 0 ? default : block[(feed + 1)..];
                _lineNumber++;
                if (line.Length > 0 && line[^1] == (byte)'\r')
                {
                    line = line[..^1];
                }

                if (_headers is null)
                {
                    Header(line, ref at);
                    continue;
                }

                if (!_insideQuotes)
                {
                    if (line.IsEmpty || (line[0] is (byte)' ' or (byte)'\t' or (byte)'\r' && IsBlank(line)))
                    {
                        continue;
                    }

                    _records++;
                    System.Buffers.Text.Utf8Formatter.TryFormat(_lineNumber, _out.AsSpan(at), out var written);
                    at += written;
                    _out[at++] = _delimiter;
                }

                line.CopyTo(_out.AsSpan(at));
                at += line.Length;
                _out[at++] = (byte)'\n';
                if (quotes)
                {
                    _insideQuotes ^= line.Count((byte)'"') % 2 == 1;
                }
            }

            output.Write(_out, 0, at);
        }

        public DecodedFile Finish(string outputPath, string encoding) =>
            new(sourcePath, outputPath, encoding, _headers ?? [], _columns, _records, _lineNumber);

        private void Header(ReadOnlySpan<byte> line, ref int at)
        {
            if (_lineNumber == 1 && line.StartsWith("\uFEFF"u8))
            {
                line = line[3..];
            }

            if (IsBlank(line))
            {
                return;
            }

            var delimiterChar = (char)_delimiter;
            _headers = SplitHeader(Encoding.UTF8.GetString(line), delimiterChar);
            for (var i = 0; i < _headers.Count; i++)
            {
                _columns.Add(mapHeader(_headers[i]) ?? $"__extra_{i + 1}");
            }

            var duplicate = _columns.GroupBy(c => c, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
            if (duplicate is not null)
            {
                throw new IngestException($"{sourcePath}:{_lineNumber}: two headers map to the column '{duplicate.Key}'.");
            }

            var header = Encoding.UTF8.GetBytes(LineColumn + string.Concat(_columns.Select(c => delimiterChar + c)) + "\n");
            if (_out.Length < _needed + header.Length)
            {
                Array.Resize(ref _out, _needed + header.Length);
            }

            header.CopyTo(_out, at);
            at += header.Length;
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
