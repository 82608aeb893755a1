using System.Security.Cryptography;
using System.Text;
using DataHub.Catalog;
using DataHub.Host.Cli;
using DataHub.Host.Platform;
using DataHub.Host.Samples;

namespace DataHub.Host.Tests.Samples;

/// <summary><c>datahub samples generate</c>: shapes, row counts, determinism, dirt ratios, encodings.</summary>
public sealed class SampleGeneratorTests : IDisposable
{
    private static readonly CatalogDefinitions Catalog = CatalogDefinitions.Load(Path.Combine(DataHubSettings.FindRoot(), "catalog"));
    private readonly string _out = Directory.CreateTempSubdirectory("datahub-generate-").FullName;

    public void Dispose() => Directory.Delete(_out, recursive: true);

    public static TheoryData<string> Kinds() => [.. Enum.GetNames<SampleKind>()];

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Each_kind_has_its_datasets_source_headers_the_row_count_and_one_percent_of_each_dirt(string name)
    {
        var kind = Enum.Parse<SampleKind>(name);
        const int rows = 20_050;   // 200 full blocks and a partial one
        var report = SampleGenerator.Generate(kind, rows, _out, SampleEncoding.Utf8, 7, null, CancellationToken.None);
        var shape = SampleGenerator.Shape(kind);
        var dataset = Catalog.GetDataset(shape.Dataset);
        var file = SourceFile.Read(report.Path);

        Assert.Equal(dataset.Columns.Select(c => c.Source!).Order(StringComparer.Ordinal), file.Headers.Order(StringComparer.Ordinal));
        Assert.Equal(rows, file.Records.Count);
        Assert.Equal("utf-8", file.Encoding);
        Assert.Equal(report.Bytes, new FileInfo(report.Path).Length);

        // Recounted from the values, the dirt is what the generator reports: 1 % of the rows for every kind the shape carries.
        var columns = shape.DirtColumns.ToDictionary(d => SamplesCommands.Label(d.Key), d => d.Value, StringComparer.Ordinal);
        var counted = file.CountDirt(columns);
        foreach (var dirt in Enum.GetValues<SampleDirt>())
        {
            var label = SamplesCommands.Label(dirt);
            var expected = shape.Dirt.Contains(dirt) ? report.Dirt[dirt] : 0;
            Assert.Equal(expected, counted[label]);
            if (shape.Dirt.Contains(dirt))
            {
                Assert.InRange(expected, 200, 201);
            }
        }

        Assert.Equal(shape.Dirt.Where(shape.Rejected.Contains).Sum(d => report.Dirt[d]), report.Rejected);
    }

    [Fact]
    public void The_same_seed_gives_the_same_bytes_across_chunks_and_another_seed_does_not()
    {
        const int rows = 2 * SampleGenerator.ChunkRows + 12_345;   // three chunks, made in parallel
        string Hash(string folder, ulong seed)
        {
            var report = SampleGenerator.Generate(SampleKind.Water, rows, Path.Combine(_out, folder), SampleEncoding.Utf8, seed, null, CancellationToken.None);
            using var stream = File.OpenRead(report.Path);
            return Convert.ToHexString(SHA256.HashData(stream));
        }

        var first = Hash("a", 42);
        Assert.Equal(first, Hash("b", 42));
        Assert.NotEqual(first, Hash("c", 43));
    }

    [Fact]
    public void Gbk_output_decodes_as_gb18030_not_as_utf8_to_the_same_text()
    {
        var gbk = SampleGenerator.Generate(SampleKind.Population, 3_000, _out, SampleEncoding.Gbk, 5, null, CancellationToken.None);
        var utf8 = SampleGenerator.Generate(SampleKind.Population, 3_000, _out, SampleEncoding.Utf8, 5, null, CancellationToken.None);

        Assert.EndsWith("household_registration_2026-09-30_gbk.csv", gbk.Path, StringComparison.Ordinal);
        var bytes = File.ReadAllBytes(gbk.Path);
        Assert.Throws<DecoderFallbackException>(() => new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes));
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var text = Encoding.GetEncoding("GB18030").GetString(bytes);
        Assert.Equal(File.ReadAllText(utf8.Path), text);
        Assert.Equal(text, Encoding.GetEncoding("GBK").GetString(bytes));   // nothing outside GBK
        Assert.Equal("gbk", SourceFile.Read(gbk.Path).Encoding);
        Assert.Contains("安徽省合肥市", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_cli_generates_every_kind_with_progress_free_output_and_rejects_bad_options()
    {
        using var writer = new StringWriter();
        Assert.Equal(0, await DataHubCli.RunAsync(["samples", "generate", "--rows", "500", "--out", _out, "--seed", "9"], writer, CancellationToken.None));
        var output = writer.ToString();
        Assert.Equal(Enum.GetValues<SampleKind>().Length, Directory.EnumerateFiles(_out, "*", SearchOption.AllDirectories).Count());
        Assert.Contains("market", output, StringComparison.Ordinal);
        Assert.Contains("500 rows, utf-8", output, StringComparison.Ordinal);
        Assert.Contains("dirt: blank 5, 无 5, full-width 5, duplicate 5, impossible date 5, negative 5, bad check digit 5", output, StringComparison.Ordinal);

        using var bad = new StringWriter();
        Assert.Equal(1, await DataHubCli.RunAsync(["samples", "generate", "--rows", "5", "--out", _out, "--kind", "sewage"], bad, CancellationToken.None));
        Assert.Contains("--kind takes water, gas", bad.ToString(), StringComparison.Ordinal);
        using var missing = new StringWriter();
        Assert.Equal(1, await DataHubCli.RunAsync(["samples", "generate", "--rows", "5"], missing, CancellationToken.None));
        Assert.Contains("--out <dir> is required", missing.ToString(), StringComparison.Ordinal);
    }
}
