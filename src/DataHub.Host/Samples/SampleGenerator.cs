using System.Buffers;
using System.Diagnostics;
using System.Text;

namespace DataHub.Host.Samples;

/// <summary>
/// Writes sample source files of any size, streaming: records are made in chunks of <see cref="ChunkRows"/> on every
/// core, each chunk encoded to UTF-8 or GBK by its own worker, and the chunks written in order, so memory stays
/// bounded whatever the row count. Every record depends only on the seed and its position, so a seed always gives
/// the same bytes. Each kind of dirt a shape carries goes into exactly one record of every block of
/// <see cref="BlockRows"/> (at odd positions, so that a duplicate always repeats a clean record).
/// </summary>
internal sealed class SampleGenerator
{
    /// <summary>Rows per dirt block: every kind of dirt a shape carries is in one row of each block (1 %).</summary>
    public const int BlockRows = 100;

    /// <summary>Rows one worker makes and encodes at a time.</summary>
    public const int ChunkRows = 1_000 * BlockRows;

    private static readonly SearchValues<char> NeedsQuoting = SearchValues.Create(",\"\r\n");

    static SampleGenerator() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <summary>The shape of a kind.</summary>
    public static SampleShape Shape(SampleKind kind) => kind switch
    {
        SampleKind.Water => new WaterShape(),
        SampleKind.Gas => new GasShape(),
        SampleKind.Heat => new HeatShape(),
        SampleKind.Transit => new TransitShape(),
        SampleKind.Population => new PopulationShape(),
        SampleKind.Market => new MarketShape(),
        SampleKind.Address => new AddressShape(),
        SampleKind.Marriage => new MarriageShape(),
        SampleKind.Vital => new VitalEventShape(),
        SampleKind.Insurance => new InsuranceShape(),
        SampleKind.Tax => new TaxShape(),
        SampleKind.WaterAccount => new WaterAccountShape(),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>The text encoding of a sample encoding.</summary>
    public static Encoding TextEncoding(SampleEncoding encoding) =>
        encoding == SampleEncoding.Gbk ? Encoding.GetEncoding("GB18030") : new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Writes one file <c>&lt;outDirectory&gt;/&lt;folder&gt;/&lt;file&gt;</c> of <paramref name="rows"/> records.</summary>
    /// <param name="kind">The shape.</param>
    /// <param name="rows">Records to write.</param>
    /// <param name="outDirectory">The output folder; the shape's folder is made inside it.</param>
    /// <param name="encoding">UTF-8 or GBK.</param>
    /// <param name="seed">Fixes every value.</param>
    /// <param name="progress">Told the rows written after every batch of chunks; null for none.</param>
    /// <param name="ct">Stops between batches (the partial file is deleted).</param>
    public static SampleFileReport Generate(
        SampleKind kind, long rows, string outDirectory, SampleEncoding encoding, ulong seed, IProgress<long>? progress, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        var started = Stopwatch.GetTimestamp();
        var shape = Shape(kind);
        var folder = Path.Combine(outDirectory, shape.Folder);
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, shape.FileName(encoding));
        var text = TextEncoding(encoding);
        var workers = Math.Max(1, Environment.ProcessorCount);
        var chunks = (rows + ChunkRows - 1) / ChunkRows;
        var states = Enumerable.Range(0, workers).Select(_ => new Worker(shape, text, rows, seed)).ToArray();
        var dirt = shape.Dirt.ToDictionary(d => d, _ => 0L);
        try
        {
            using (var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
            {
                file.Write(text.GetBytes(Header(shape)));
                for (long batch = 0; batch < chunks; batch += workers)
                {
                    ct.ThrowIfCancellationRequested();
                    var count = (int)Math.Min(workers, chunks - batch);
                    Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = workers, CancellationToken = ct },
                        j => states[j].Make(batch + j));
                    for (var j = 0; j < count; j++)
                    {
                        file.Write(states[j].Bytes.WrittenSpan);
                        foreach (var (d, n) in states[j].Dirt)
                        {
                            dirt[d] += n;
                        }
                    }

                    progress?.Report(Math.Min(rows, (batch + count) * ChunkRows));
                }
            }
        }
        catch
        {
            File.Delete(path);
            throw;
        }

        return new SampleFileReport(
            path, kind, shape.Dataset, encoding == SampleEncoding.Gbk ? "gbk" : "utf-8", rows, dirt,
            dirt.Where(d => shape.Rejected.Contains(d.Key)).Sum(d => d.Value), new FileInfo(path).Length, Stopwatch.GetElapsedTime(started));
    }

    /// <summary>
    /// The kind of dirt the generator puts into record <paramref name="index"/> of a shape's file, or null for a clean
    /// record (a duplicate repeats the record before it, so its own clean record is not in the file either).
    /// </summary>
    public static SampleDirt? DirtAt(SampleShape shape, ulong seed, long index)
    {
        ArgumentNullException.ThrowIfNull(shape);
        var kinds = shape.Dirt;
        Span<int> positions = stackalloc int[kinds.Count];
        DrawPositions(shape.Kind, seed, index / BlockRows, positions);
        var at = positions.IndexOf((int)(index % BlockRows));
        return at < 0 ? null : kinds[at];
    }

    /// <summary>Distinct odd positions in the block, one per kind of dirt, drawn from the seed, the shape and the block number.</summary>
    private static void DrawPositions(SampleKind kind, ulong seed, long block, Span<int> positions)
    {
        var random = new SampleRandom(seed, 99 + ((ulong)kind << 8), (ulong)block);
        for (var k = 0; k < positions.Length; k++)
        {
            int position;
            do
            {
                position = 1 + 2 * random.Next(BlockRows / 2);
            }
            while (positions[..k].Contains(position));

            positions[k] = position;
        }
    }

    private static string Header(SampleShape shape) =>
        shape.IsNdjson ? string.Empty : string.Join(',', shape.Headers) + "\n";

    /// <summary>One core's reusable state: the rows being made, the characters of its chunk, and their encoded bytes.</summary>
    private sealed class Worker
    {
        private readonly SampleShape _shape;
        private readonly Encoder _encoder;
        private readonly long _rows;
        private readonly ulong _seed;
        private readonly SampleRow _row;
        private readonly SampleRow _previous;
        private readonly char[] _chars = new char[1 << 16];
        private readonly string[] _jsonKeys;
        private readonly SampleDirt[] _kinds;
        private readonly int[] _positions;
        private int _used;

        public Worker(SampleShape shape, Encoding encoding, long rows, ulong seed)
        {
            _shape = shape;
            _encoder = encoding.GetEncoder();
            _rows = rows;
            _seed = seed;
            _row = new SampleRow(shape.Headers.Count);
            _previous = new SampleRow(shape.Headers.Count);
            _jsonKeys = shape.Headers.Select(h => "\"" + h + "\":\"").ToArray();
            _kinds = shape.Dirt.ToArray();
            _positions = new int[_kinds.Length];
            Dirt = _kinds.ToDictionary(d => d, _ => 0L);
        }

        public ArrayBufferWriter<byte> Bytes { get; } = new(1 << 20);

        public Dictionary<SampleDirt, long> Dirt { get; }

        public void Make(long chunk)
        {
            Bytes.ResetWrittenCount();
            _encoder.Reset();
            _used = 0;
            foreach (var d in _kinds)
            {
                Dirt[d] = 0;
            }

            var first = chunk * ChunkRows;
            var last = Math.Min(_rows, first + ChunkRows);
            for (var blockStart = first; blockStart < last; blockStart += BlockRows)
            {
                DrawPositions(blockStart / BlockRows);
                var blockEnd = Math.Min(last, blockStart + BlockRows);
                for (var index = blockStart; index < blockEnd; index++)
                {
                    var at = (int)(index - blockStart);
                    var kind = Array.IndexOf(_positions, at);
                    if (kind >= 0 && _kinds[kind] == SampleDirt.Duplicate)
                    {
                        _row.CopyFrom(_previous);
                    }
                    else
                    {
                        _shape.Fill(_row, index, _rows, _seed);
                        if (kind < 0)
                        {
                            _previous.CopyFrom(_row);
                        }
                        else
                        {
                            _shape.Spoil(_row, _kinds[kind]);
                        }
                    }

                    if (kind >= 0)
                    {
                        Dirt[_kinds[kind]]++;
                    }

                    Write(_row);
                }
            }

            Flush(final: true);
        }

        private void DrawPositions(long block) => SampleGenerator.DrawPositions(_shape.Kind, _seed, block, _positions);

        private void Write(SampleRow row)
        {
            if (_shape.IsNdjson)
            {
                Append('{');
                for (var i = 0; i < row.Count; i++)
                {
                    if (i > 0)
                    {
                        Append(',');
                    }

                    Append(_jsonKeys[i]);
                    AppendJson(row[i]);
                    Append('"');
                }

                Append("}\n");
                return;
            }

            for (var i = 0; i < row.Count; i++)
            {
                if (i > 0)
                {
                    Append(',');
                }

                AppendCsv(row[i]);
            }

            if (row.Extra is { } extra)
            {
                Append(',');
                AppendCsv(extra);
            }

            Append('\n');
        }

        private void AppendCsv(ReadOnlySpan<char> field)
        {
            if (field.IndexOfAny(NeedsQuoting) < 0)
            {
                Append(field);
                return;
            }

            Append('"');
            foreach (var c in field)
            {
                if (c == '"')
                {
                    Append('"');
                }

                Append(c);
            }

            Append('"');
        }

        private void AppendJson(ReadOnlySpan<char> value)
        {
            foreach (var c in value)
            {
                switch (c)
                {
                    case '"':
                        Append("\\\"");
                        break;
                    case '\\':
                        Append("\\\\");
                        break;
                    case < ' ':
                        Append("\\u00");
                        Append("0123456789abcdef"[c >> 4]);
                        Append("0123456789abcdef"[c & 0xF]);
                        break;
                    default:
                        Append(c);
                        break;
                }
            }
        }

        private void Append(char c)
        {
            if (_used == _chars.Length)
            {
                Flush(final: false);
            }

            _chars[_used++] = c;
        }

        private void Append(ReadOnlySpan<char> text)
        {
            if (_used + text.Length > _chars.Length)
            {
                Flush(final: false);
            }

            text.CopyTo(_chars.AsSpan(_used));
            _used += text.Length;
        }

        private void Flush(bool final)
        {
            var chars = _chars.AsSpan(0, _used);
            var completed = false;
            while (!completed)
            {
                var span = Bytes.GetSpan(Math.Max(4096, chars.Length * 4));
                _encoder.Convert(chars, span, final, out var charsUsed, out var bytesUsed, out completed);
                Bytes.Advance(bytesUsed);
                chars = chars[charsUsed..];
            }

            _used = 0;
        }
    }
}
