using System.Buffers;
using System.Text;
using System.Text.Json;
using DataHub.Pipelines.Ingest;

namespace DataHub.Pipelines.Sources;

/// <summary>
/// Turns a department's JSON or NDJSON file into the normalised CSV ingestion reads (see
/// <see cref="NormalizedCsvWriter"/>), streaming: a JSON file is read token by token through a refilled buffer, an
/// NDJSON file line by line, so neither is ever loaded whole.
/// </summary>
/// <remarks>
/// <para>Each record is a JSON object. Its top-level fields map to physical columns through the field-to-column
/// mapping; a value is written as text: strings unescaped, numbers as their literal text (<c>1.50</c> stays
/// <c>1.50</c>), <c>true</c>/<c>false</c>, null as NULL, nested objects and arrays as compact JSON.</para>
/// <para>Columns: every mapped field has its column (a record without the field gives NULL); a field the mapping
/// does not know becomes a column <c>__extra_N</c> when first seen, its values kept, as the CSV decoder keeps an
/// unknown header. <see cref="DecodedFile.Headers"/> lists the source field of each column: the mapped fields in
/// mapping order, then the unmapped fields in the order they were first seen; so the unmapped fields are the headers
/// whose column starts with <c>__extra_</c>.</para>
/// <para>Nothing is dropped: in NDJSON, a line that is not valid JSON, or whose value is not an object, or that names
/// a field twice, is reported in <see cref="DecodedFile.Rejected"/> with its line number and raw text; in a JSON
/// array an element that is not an object (or repeats a field) is reported the same way. Rows written plus
/// rejections equal the records in the file. A JSON file that is not well-formed fails as a whole, naming the file
/// and line, since past the error its records cannot be told apart.</para>
/// <para><c>__line</c> is the physical line the record starts on (1-based), blank lines counted.</para>
/// </remarks>
public static class JsonSourceDecoder
{
    private const int DefaultBufferSize = 64 * 1024;
    private const int MaxBufferSize = 1 << 30;

    /// <summary>Writes the normalised copy of a JSON or NDJSON file.</summary>
    /// <param name="sourcePath">The department's file.</param>
    /// <param name="outputPath">The normalised CSV to write.</param>
    /// <param name="format"><c>json</c> or <c>ndjson</c>.</param>
    /// <param name="declaredEncoding"><c>auto</c>, <c>utf-8</c>, <c>utf-8-bom</c>, <c>gbk</c> or <c>gb18030</c>.</param>
    /// <param name="fieldToColumn">Source field name (case-sensitive) → physical column.</param>
    /// <param name="recordsPath">For <c>json</c>, the dot path of the records array in the root object; null when the root is the array.</param>
    /// <exception cref="IngestException">The options are invalid, the JSON file is malformed or not shaped as declared, or too many records were rejected.</exception>
    public static DecodedFile Normalize(string sourcePath, string outputPath, string format, string declaredEncoding,
        IReadOnlyDictionary<string, string> fieldToColumn, string? recordsPath) =>
        Normalize(sourcePath, outputPath, new JsonFormatOptions(format, declaredEncoding, recordsPath), fieldToColumn);

    /// <summary>Writes the normalised copy of a JSON or NDJSON file.</summary>
    /// <param name="sourcePath">The department's file.</param>
    /// <param name="outputPath">The normalised CSV to write.</param>
    /// <param name="options">Format, encoding and records path.</param>
    /// <param name="fieldToColumn">Source field name (case-sensitive) → physical column.</param>
    /// <exception cref="IngestException">The options are invalid, the JSON file is malformed or not shaped as declared, or too many records were rejected.</exception>
    public static DecodedFile Normalize(string sourcePath, string outputPath, JsonFormatOptions options, IReadOnlyDictionary<string, string> fieldToColumn) =>
        Normalize(sourcePath, outputPath, options, fieldToColumn, DefaultBufferSize);

    /// <summary>As the public overload, with the initial read buffer size chosen (small in tests, to cross buffer boundaries often).</summary>
    internal static DecodedFile Normalize(string sourcePath, string outputPath, JsonFormatOptions options, IReadOnlyDictionary<string, string> fieldToColumn, int bufferSize)
    {
        ArgumentException.ThrowIfNullOrEmpty(sourcePath);
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Validate();
        if (problems.Count > 0)
        {
            throw new IngestException($"{sourcePath}: {string.Join(" ", problems)}");
        }

        var encoding = SourceDecoder.DetectEncoding(sourcePath, options.Encoding);
        using var table = new RecordTable(outputPath, fieldToColumn, options.MaxRejected, sourcePath);
        var lines = options.Format == "ndjson"
            ? ReadLines(sourcePath, encoding, table)
            : ReadDocument(sourcePath, encoding, JsonRecordParser.SplitPath(options.RecordsPath), table, bufferSize);
        return table.Complete(sourcePath, encoding.WebName, lines);
    }

    private static long ReadLines(string sourcePath, Encoding encoding, RecordTable table)
    {
        var line = new LineSink();
        long lineNumber = 0;
        using var parser = new JsonRecordParser(null, line, _ => lineNumber);
        using var reader = new StreamReader(sourcePath, encoding, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
        var bytes = ArrayPool<byte>.Shared.Rent(4096);
        try
        {
            string? text;
            while ((text = reader.ReadLine()) is not null)
            {
                lineNumber++;
                if (lineNumber == 1)
                {
                    text = text.TrimStart('\uFEFF');
                }

                if (string.IsNullOrWhiteSpace(text))
                {
                    continue;
                }

                var length = Encoding.UTF8.GetMaxByteCount(text.Length);
                if (length > bytes.Length)
                {
                    ArrayPool<byte>.Shared.Return(bytes);
                    bytes = ArrayPool<byte>.Shared.Rent(length);
                }

                length = Encoding.UTF8.GetBytes(text, bytes);
                line.Clear();
                parser.Reset();
                var json = new Utf8JsonReader(bytes.AsSpan(0, length), JsonRecordParser.ReaderOptions);
                try
                {
                    while (json.Read())
                    {
                        parser.Handle(ref json);
                    }
                }
                catch (JsonException e)
                {
                    table.Reject(lineNumber, $"not valid JSON: {Describe(e, withLine: false)}", text);
                    continue;
                }

                // Written only once the whole line has been read: "{…} x" is one malformed line, not a row and a rejection.
                if (line.Fields is not null)
                {
                    table.Add(lineNumber, line.Fields);
                }
                else
                {
                    table.Reject(lineNumber, line.Reason ?? "the line holds no record", text);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }

        return lineNumber;
    }

    private static long ReadDocument(string sourcePath, Encoding encoding, string[] path, RecordTable table, int bufferSize)
    {
        using var file = new FileStream(sourcePath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        using var input = encoding.CodePage == Encoding.UTF8.CodePage
            ? file
            : Encoding.CreateTranscodingStream(file, encoding, new UTF8Encoding(false), leaveOpen: true);
        var lines = new LineCounter(Math.Max(bufferSize, 16));
        using var parser = new JsonRecordParser(path, new TableSink(table), lines.LineAt);
        var state = new JsonReaderState(JsonRecordParser.ReaderOptions);
        var final = false;
        var start = true;
        while (true)
        {
            final = lines.Fill(input);
            if (start)
            {
                if (lines.Length < 3 && !final)
                {
                    continue;
                }

                lines.SkipBom();
                start = false;
            }

            var reader = new Utf8JsonReader(lines.Data, final, state);
            try
            {
                while (reader.Read())
                {
                    parser.Handle(ref reader);
                }
            }
            catch (JsonException e)
            {
                throw new IngestException($"{sourcePath}:{(e.LineNumber ?? 0) + 1}: not valid JSON: {Describe(e, withLine: true)}", e);
            }
            catch (JsonShapeException e)
            {
                throw new IngestException($"{sourcePath}:{lines.LineAt(checked((int)reader.TokenStartIndex))}: {e.Message}", e);
            }
            catch (InvalidOperationException e)
            {
                // Utf8JsonReader.GetString on bytes that are not UTF-8: the file is not in the declared encoding.
                throw new IngestException($"{sourcePath}:{lines.LineAt(checked((int)reader.TokenStartIndex))}: {e.Message} (is the declared encoding right?)", e);
            }

            if (final)
            {
                if (!parser.Finished)
                {
                    throw new IngestException($"{sourcePath}: the records array was not found.");
                }

                return lines.Finish();
            }

            state = reader.CurrentState;
            if (!lines.Consume(checked((int)reader.BytesConsumed)) && lines.Length >= MaxBufferSize / 2)
            {
                throw new IngestException($"{sourcePath}:{lines.LineAt(0)}: a single JSON token is larger than {MaxBufferSize / 2} bytes.");
            }
        }
    }

    /// <summary>The reader's message without its "LineNumber: … | BytePositionInLine: …" tail, with a column for NDJSON lines.</summary>
    private static string Describe(JsonException e, bool withLine)
    {
        var message = e.Message;
        var tail = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        if (tail > 0)
        {
            message = message[..tail].TrimEnd();
        }

        if (message.EndsWith(" Path: $", StringComparison.Ordinal))
        {
            message = message[..^" Path: $".Length].TrimEnd();
        }

        return withLine || e.BytePositionInLine is null ? message : $"{message} (at byte {e.BytePositionInLine + 1} of the line)";
    }

    /// <summary>The buffer a JSON file is read through, and the physical line of any position in it.</summary>
    private sealed class LineCounter(int size)
    {
        private byte[] data = new byte[size];
        private int scanned;
        private long line = 1;
        private long newlines;
        private bool endsWithNewline = true;

        public int Length { get; private set; }

        public ReadOnlySpan<byte> Data => data.AsSpan(0, Length);

        /// <summary>Reads more into the buffer; true at the end of the input.</summary>
        public bool Fill(Stream input)
        {
            var read = input.Read(data, Length, data.Length - Length);
            Length += read;
            return read == 0;
        }

        public void SkipBom()
        {
            if (Data.StartsWith("\uFEFF"u8))
            {
                Drop(3);
            }
        }

        /// <summary>The 1-based line of the byte at <paramref name="index"/> (positions asked for never go back).</summary>
        public long LineAt(int index)
        {
            if (index > scanned)
            {
                var count = data.AsSpan(scanned, index - scanned).Count((byte)'\n');
                line += count;
                newlines += count;
                endsWithNewline = data[index - 1] == (byte)'\n';
                scanned = index;
            }

            return line;
        }

        /// <summary>Drops the consumed bytes; grows the buffer when nothing could be consumed. False when it had to grow.</summary>
        public bool Consume(int consumed)
        {
            if (consumed == 0 && Length == data.Length)
            {
                Array.Resize(ref data, data.Length * 2);
                return false;
            }

            LineAt(consumed);
            Drop(consumed);
            scanned = 0;
            return true;
        }

        /// <summary>Lines in the whole input, a last line without a newline counted.</summary>
        public long Finish()
        {
            LineAt(Length);
            return newlines + (endsWithNewline ? 0 : 1);
        }

        private void Drop(int count)
        {
            Buffer.BlockCopy(data, count, data, 0, Length - count);
            Length -= count;
        }
    }

    /// <summary>Adds each record to the table as it is found.</summary>
    private sealed class TableSink(RecordTable table) : IJsonRecordSink
    {
        public void Record(long line, List<KeyValuePair<string, string?>> fields) => table.Add(line, fields);

        public void Rejected(long line, string reason, string raw) => table.Reject(line, reason, raw);
    }

    /// <summary>Holds the one record of an NDJSON line until the line is known to be well-formed.</summary>
    private sealed class LineSink : IJsonRecordSink
    {
        public List<KeyValuePair<string, string?>>? Fields { get; private set; }

        public string? Reason { get; private set; }

        public void Clear()
        {
            Fields = null;
            Reason = null;
        }

        public void Record(long line, List<KeyValuePair<string, string?>> fields) => Fields = fields;

        public void Rejected(long line, string reason, string raw) => Reason = reason;
    }
}
