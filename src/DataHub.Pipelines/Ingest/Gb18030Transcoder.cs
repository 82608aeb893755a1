using System.Text;

namespace DataHub.Pipelines.Ingest;

/// <summary>
/// GB18030 (and so GBK and GB2312) to UTF-8, byte for byte what .NET's GB18030 decoder followed by a UTF-8 encoder
/// gives for each line, but with a table for the two-byte characters that make up nearly all Chinese text: runs of
/// ASCII are copied as they are, a two-byte character is one lookup, and anything else (a four-byte character, a byte
/// that starts no character) goes to .NET's decoder from there to the end of its line. The table is filled from that
/// decoder at first use, one entry per lead and second byte pair, so the two cannot disagree. For valid input, line by
/// line is the same as the whole input at once (a line feed byte never occurs inside a character); for bytes that
/// start no character it makes the replacement independent of where the input was cut into pieces (.NET replaces an
/// incomplete four-byte sequence differently at the end of its input than in the middle).
/// </summary>
internal static class Gb18030Transcoder
{
    private const int FirstLead = 0x81;
    private const int LastLead = 0xFE;
    private const int FirstTrail = 0x40;
    private const int LastTrail = 0xFE;
    private const int Trails = LastTrail - FirstTrail + 1;

    /// <summary>.NET's decoder (replacing bytes that start no character), for what the table does not hold.</summary>
    private static readonly Encoding Gb18030;

    private static readonly UTF8Encoding Utf8 = new(false);

    /// <summary>Per lead and trail pair: its UTF-8 bytes (up to 3, low byte first) and their count in the top byte; 0 when the pair is not one character.</summary>
    private static readonly Lazy<uint[]> Table = new(Build);

#pragma warning disable CA1810 // the code-page provider must be registered before the encoding is asked for
    static Gb18030Transcoder()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        Gb18030 = Encoding.GetEncoding("GB18030");
    }
#pragma warning restore CA1810

    /// <summary>The most UTF-8 bytes <paramref name="sourceLength"/> bytes of GB18030 can become (at most 2 per byte for valid input; 3 leaves room for any replacement).</summary>
    public static int MaxUtf8Bytes(int sourceLength) => (sourceLength * 3) + 16;

    /// <summary>
    /// Transcodes <paramref name="source"/>, which must start at a character boundary and end at one (a line feed, or
    /// the end of the input: a line feed byte never occurs inside a GB18030 character), into <paramref name="output"/>,
    /// which must hold <see cref="MaxUtf8Bytes"/> bytes. Returns the bytes written.
    /// </summary>
    public static int Transcode(ReadOnlySpan<byte> source, Span<byte> output)
    {
        var table = Table.Value;
        var written = 0;
        var at = 0;
        while (at < source.Length)
        {
            // ASCII as it is, up to the next byte that is not.
            var ascii = source[at..].IndexOfAnyInRange((byte)0x80, (byte)0xFF);
            if (ascii < 0)
            {
                source[at..].CopyTo(output[written..]);
                return written + (source.Length - at);
            }

            source.Slice(at, ascii).CopyTo(output[written..]);
            written += ascii;
            at += ascii;

            // Two-byte characters by the table, as long as they last.
            while (at + 1 < source.Length)
            {
                int lead = source[at];
                int trail = source[at + 1];
                if (lead is < FirstLead or > LastLead || trail is < FirstTrail or > LastTrail)
                {
                    break;
                }

                var entry = table[((lead - FirstLead) * Trails) + (trail - FirstTrail)];
                if (entry == 0)
                {
                    break;
                }

                var length = (int)(entry >> 24);
                output[written] = (byte)entry;
                if (length > 1)
                {
                    output[written + 1] = (byte)(entry >> 8);
                    if (length > 2)
                    {
                        output[written + 2] = (byte)(entry >> 16);
                    }
                }

                written += length;
                at += 2;
            }

            if (at < source.Length && source[at] >= 0x80)
            {
                // Not a two-byte character: .NET's decoder takes it from here (a character boundary) to the line's end.
                var feed = source[at..].IndexOf((byte)'\n');
                var end = feed < 0 ? source.Length : at + feed + 1;
                written += Fallback(source[at..end], output[written..]);
                at = end;
            }
        }

        return written;
    }

    private static int Fallback(ReadOnlySpan<byte> piece, Span<byte> output)
    {
        var decoder = Gb18030.GetDecoder();
        var encoder = Utf8.GetEncoder();
        Span<char> chars = stackalloc char[4096];
        var written = 0;
        var completed = false;
        while (!completed)
        {
            decoder.Convert(piece, chars, flush: true, out var used, out var produced, out completed);
            piece = piece[used..];
            written += encoder.GetBytes(chars[..produced], output[written..], flush: completed);
        }

        return written;
    }

    private static uint[] Build()
    {
        var gb18030 = Encoding.GetEncoding("GB18030", EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
        var table = new uint[(LastLead - FirstLead + 1) * Trails];
        Span<byte> pair = stackalloc byte[2];
        Span<char> chars = stackalloc char[4];
        Span<byte> utf8 = stackalloc byte[8];
        for (var lead = FirstLead; lead <= LastLead; lead++)
        {
            for (var trail = FirstTrail; trail <= LastTrail; trail++)
            {
                pair[0] = (byte)lead;
                pair[1] = (byte)trail;
                int count;
                try
                {
                    count = gb18030.GetChars(pair, chars);
                }
                catch (DecoderFallbackException)
                {
                    continue; // not a character (0x7F as trail, say): the fallback decides what it becomes
                }

                // One character of the Basic Multilingual Plane, not a surrogate: 1 to 3 bytes of UTF-8.
                if (count != 1 || char.IsSurrogate(chars[0]))
                {
                    continue;
                }

                var length = Utf8.GetBytes(chars[..1], utf8);
                var entry = (uint)length << 24;
                for (var i = 0; i < length; i++)
                {
                    entry |= (uint)utf8[i] << (8 * i);
                }

                table[((lead - FirstLead) * Trails) + (trail - FirstTrail)] = entry;
            }
        }

        return table;
    }
}
