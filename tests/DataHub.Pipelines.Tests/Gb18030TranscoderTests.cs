using System.Text;
using DataHub.Pipelines.Ingest;

namespace DataHub.Pipelines.Tests;

/// <summary>The table-driven GB18030 → UTF-8 transcoder gives what .NET's decoder and a UTF-8 encoder give for each line, byte for byte.</summary>
public sealed class Gb18030TranscoderTests
{
    private static readonly Encoding Gb18030 = SourceDecoderTests.Gb18030;

    [Fact]
    public void Every_lead_and_second_byte_pair_transcodes_as_dotnet_decodes_it()
    {
        // Each pair between ASCII, on a line of its own: valid two-byte characters, pairs that are not characters
        // (a second byte of 0x7F or 0xFF, below 0x40), and starts of four-byte characters cut short.
        var source = new List<byte>();
        for (var lead = 0x80; lead <= 0xFF; lead++)
        {
            for (var second = 0x00; second <= 0xFF; second++)
            {
                if (second == '\n')
                {
                    continue;
                }

                source.AddRange("a"u8.ToArray());
                source.Add((byte)lead);
                source.Add((byte)second);
                source.AddRange("b\n"u8.ToArray());
            }
        }

        AssertSameAsDotnet([.. source]);
    }

    [Fact]
    public void Four_byte_characters_invalid_bytes_and_a_lead_byte_at_the_end_transcode_as_dotnet_decodes_them()
    {
        var text = "户号,表号\n张三😀,𠀀\u00E9\u20AC\uE5E5\n合肥市\n";
        var bytes = Gb18030.GetBytes(text).ToList();
        bytes.AddRange([0x80, 0x41, 0xFF, (byte)'\n', 0x81, 0x30, 0x81, (byte)'x', (byte)'\n', 0x84, 0x31, 0xA4, 0x39, (byte)'\n']);
        bytes.AddRange(Gb18030.GetBytes("结尾"));
        bytes.Add(0xB0); // a lead byte with nothing after it
        AssertSameAsDotnet([.. bytes]);
        Assert.Equal(text, Encoding.UTF8.GetString(Transcode(Gb18030.GetBytes(text))));
    }

    [Fact]
    public void Random_mixtures_of_ascii_chinese_and_stray_bytes_transcode_as_dotnet_decodes_them()
    {
        var random = new Random(20261204);
        for (var round = 0; round < 20; round++)
        {
            var bytes = new List<byte>();
            while (bytes.Count < 200_000)
            {
                switch (random.Next(10))
                {
                    case < 4:
                        bytes.AddRange(Gb18030.GetBytes(new string((char)random.Next(0x4E00, 0x9FA6), random.Next(1, 8))));
                        break;
                    case < 8:
                        bytes.AddRange(Encoding.ASCII.GetBytes(new string((char)random.Next(0x20, 0x7F), random.Next(1, 12))));
                        break;
                    case 8:
                        bytes.Add((byte)'\n');
                        break;
                    default:
                        bytes.Add((byte)random.Next(0x80, 0x100));
                        break;
                }
            }

            // Cut into pieces at line feeds, as the decoder hands them over.
            var source = bytes.ToArray();
            var at = 0;
            while (at < source.Length)
            {
                var feed = Array.IndexOf(source, (byte)'\n', Math.Min(source.Length - 1, at + random.Next(1, 50_000)));
                var end = feed < 0 ? source.Length : feed + 1;
                AssertSameAsDotnet(source[at..end]);
                at = end;
            }
        }
    }

    /// <summary>
    /// The reference: each line (up to and with its line feed) decoded by .NET on its own. For valid GB18030 this is the
    /// whole input decoded at once (a line feed byte never occurs inside a character); for bytes that start no
    /// character, .NET's replacement at the end of its input differs from its replacement mid-input (an incomplete
    /// four-byte sequence before a line feed loses the digit after its lead byte there), so a line is the unit that makes
    /// the output independent of how the file is cut into pieces.
    /// </summary>
    private static void AssertSameAsDotnet(byte[] source)
    {
        var expected = new List<byte>();
        var start = 0;
        while (start < source.Length)
        {
            var feed = Array.IndexOf(source, (byte)'\n', start);
            var end = feed < 0 ? source.Length : feed + 1;
            expected.AddRange(new UTF8Encoding(false).GetBytes(Gb18030.GetString(source, start, end - start)));
            start = end;
        }

        Assert.Equal(expected, Transcode(source));
    }

    private static byte[] Transcode(byte[] source)
    {
        var output = new byte[Gb18030Transcoder.MaxUtf8Bytes(source.Length)];
        var written = Gb18030Transcoder.Transcode(source, output);
        return output[..written];
    }
}
