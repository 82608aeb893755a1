using System.Text;
using DataHub.Catalog.Tests;
using DataHub.Pipelines.Ingest;

namespace DataHub.Pipelines.Tests;

/// <summary>
/// The block-wise normaliser (UTF-8 checked while copied, GBK/GB18030 transcoded in parallel pieces) writes exactly
/// the bytes and counts the line-by-line one did, on the repository's samples and on awkward files.
/// </summary>
public sealed class SourceDecoderTests : IDisposable
{
    /// <summary>.NET's GB18030 encoding (the code-page provider registered), shared with the transcoder's tests.</summary>
    internal static readonly Encoding Gb18030 = CodePages();

    private readonly string directory = TestDirectories.Create("source-decoder");

    public void Dispose() => TestDirectories.Delete(directory);

    public static TheoryData<string> Samples()
    {
        var data = new TheoryData<string>();
        var root = Path.Combine(RepositoryRoot(), "samples");
        foreach (var file in Directory.EnumerateFiles(root, "*.csv", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetRelativePath(root, file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void Samples_normalise_as_before(string sample)
    {
        var path = Path.Combine(RepositoryRoot(), "samples", sample);
        foreach (var encoding in new[] { "auto", "utf-8", "gbk" })
        {
            AssertSame(path, encoding);
        }
    }

    [Fact]
    public void Awkward_files_normalise_as_before_in_utf8_and_gbk()
    {
        var cases = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["empty"] = string.Empty,
            ["header only, no newline"] = "户号,表号",
            ["blank lines first, BOM"] = "\uFEFF\r\n  \r\n户号,表号\r\nW1,M1\r\n",
            ["quoted newlines and blank lines"] = "户号,表号\n\"多行\n\n地址\",M1\n\n \t\nW2,\"a \"\"q\"\" b\"\nW3,M3",
            ["crlf without final newline"] = "户号,表号\r\nW1,M1\r\nW2,M2",
            ["lone cr"] = "户号,表号\rW1,M1\r\nW2,M2\r\n",
            ["unknown header"] = "户号,备注,表号\nW1,x,M1\n",
        };
        foreach (var (name, text) in cases)
        {
            var utf8 = Path.Combine(directory, "u.csv");
            File.WriteAllBytes(utf8, Encoding.UTF8.GetBytes(text));
            AssertSame(utf8, "auto", name);
            AssertSame(utf8, "utf-8", name);
            var gbk = Path.Combine(directory, "g.csv");
            File.WriteAllBytes(gbk, Gb18030.GetBytes(text.Replace("\uFEFF", string.Empty, StringComparison.Ordinal)));
            AssertSame(gbk, "auto", name);
            AssertSame(gbk, "gbk", name);
        }
    }

    [Fact]
    public void Files_larger_than_a_block_with_long_lines_and_quoted_newlines_across_blocks_normalise_as_before()
    {
        var text = new StringBuilder("户号,表号,地址\n");
        for (var i = 0; i < 120_000; i++)
        {
            text.Append('W').Append(i).Append(",M").Append(i).Append(',');
            _ = (i % 997) switch
            {
                0 => text.Append('"').Append('长', 3_000).Append("\n\n第二行\",\n"),
                1 => text.Append('\n'),
                2 => text.Append("合肥市\r\n\r\n"),
                _ => text.Append("合肥市蜀山区长江西路").Append(i).Append("号\n"),
            };
        }

        // One line longer than a whole block (4 MB) as well.
        text.Append("W-long,M,").Append('x', 9 << 20).Append("\nW-last,M,end");
        var utf8 = Path.Combine(directory, "large.csv");
        File.WriteAllText(utf8, text.ToString(), new UTF8Encoding(false));
        AssertSame(utf8, "auto");
        var gbk = Path.Combine(directory, "large_gbk.csv");
        File.WriteAllBytes(gbk, Gb18030.GetBytes(text.ToString()));
        AssertSame(gbk, "auto");
    }

    [Fact]
    public void Blocks_of_blank_crlf_and_whitespace_lines_then_a_long_quoted_field_normalise_as_before()
    {
        // Blank lines before the header, then blocks of quote-free lines (blank, CRLF and whitespace-only ones among
        // them), then one quoted field of 40,000 lines, then plain lines again: the record count and every line number.
        var text = new StringBuilder("\r\n \r\n户号,表号,地址\r\n");
        for (var i = 0; i < 200_000; i++)
        {
            text.Append('W').Append(i).Append(",M").Append(i).Append(",合肥市庐阳区").Append(i % 5 == 0 ? "\r\n" : "\n");
            if (i % 1_000 == 0)
            {
                text.Append(i % 2_000 == 0 ? "\n" : " \t\r\n");
            }
        }

        text.Append("W-quoted,M,\"开始\n");
        for (var i = 0; i < 40_000; i++)
        {
            text.Append("引号里的第").Append(i).Append("行\n");
        }

        text.Append("结束\"\n");
        for (var i = 0; i < 50_000; i++)
        {
            text.Append('V').Append(i).Append(",N,肥西县\n");
        }

        var utf8 = Path.Combine(directory, "pieces.csv");
        File.WriteAllText(utf8, text.ToString(), new UTF8Encoding(false));
        var file = AssertSame(utf8, "utf-8");
        Assert.Equal(200_000 + 1 + 50_000, file.Records);
        var gbk = Path.Combine(directory, "pieces_gbk.csv");
        File.WriteAllBytes(gbk, Gb18030.GetBytes(text.ToString()));
        AssertSame(gbk, "gbk");
    }

    [Fact]
    public void A_file_that_stops_being_utf8_late_is_read_as_gb18030_from_the_start()
    {
        var text = new StringBuilder("户号,地址\n");
        for (var i = 0; i < 300_000; i++)
        {
            text.Append('W').Append(i).Append(",abcdefghijklmnopqrstuvwxyz\n");
        }

        var bytes = Encoding.ASCII.GetBytes(text.ToString().Replace("户号", "h", StringComparison.Ordinal)).Concat(Gb18030.GetBytes("W-gbk,合肥市\n")).ToArray();
        var path = Path.Combine(directory, "late.csv");
        File.WriteAllBytes(path, bytes);
        var file = AssertSame(path, "auto");
        Assert.Equal(Gb18030.WebName, file.Encoding);
        Assert.EndsWith("合肥市\n", File.ReadAllText(file.DecodedPath), StringComparison.Ordinal);
    }

    private DecodedFile AssertSame(string path, string encoding, string? name = null)
    {
        static string? Map(string header) => header switch { "户号" => "account_no", "表号" => "meter_no", "地址" => "address", "h" => "account_no", _ => null };
        var expectedPath = Path.Combine(directory, "expected.csv");
        var actualPath = Path.Combine(directory, "actual.csv");
        var expected = LineByLineNormalizer.Normalize(path, expectedPath, encoding, ',', Map);
        var actual = SourceDecoder.Normalize(path, actualPath, encoding, ',', Map);
        var label = $"{name ?? Path.GetFileName(path)} ({encoding})";
        Assert.True(File.ReadAllBytes(expectedPath).AsSpan().SequenceEqual(File.ReadAllBytes(actualPath)), $"{label}: the normalised bytes differ");
        Assert.Equal((expected.Encoding, expected.Records, expected.Lines), (actual.Encoding, actual.Records, actual.Lines));
        Assert.Equal(expected.Headers, actual.Headers);
        Assert.Equal(expected.Columns, actual.Columns);
        return actual;
    }

    /// <summary>The repository's root: the first folder above the test binaries holding <c>samples/</c> and <c>catalog/</c>.</summary>
    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (Directory.Exists(Path.Combine(folder.FullName, "samples")) && Directory.Exists(Path.Combine(folder.FullName, "catalog")))
            {
                return folder.FullName;
            }
        }

        throw new DirectoryNotFoundException("The repository root (with samples/ and catalog/) is not above " + AppContext.BaseDirectory);
    }

    private static Encoding CodePages()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding("GB18030");
    }
}
