using System.Text;
using DataHub.Pipelines.Ingest;

namespace DataHub.Pipelines.Tests;

/// <summary>
/// The line-by-line normaliser that <see cref="SourceDecoder.Normalize"/> replaced (one line at a time through a
/// transcoding stream), kept as the reference its block-wise, parallel successor must match byte for byte.
/// </summary>
internal static class LineByLineNormalizer
{
    /// <summary>
    /// Writes the normalised copy. <paramref name="mapHeader"/> turns a source header into a physical column name,
    /// or null for a column the catalog does not know (kept as <c>__extra_N</c>).
    /// </summary>
    public static DecodedFile Normalize(string sourcePath, string outputPath, string declaredEncoding, char delimiter, Func<string, string?> mapHeader)
    {
        ArgumentNullException.ThrowIfNull(mapHeader);
        var encoding = SourceDecoder.DetectEncoding(sourcePath, declaredEncoding);
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

                output.Write(Encoding.UTF8.GetBytes(SourceDecoder.LineColumn + string.Concat(columns.Select(c => delimiter + c)) + "\n"));
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
