using DataHub.Pipelines.Definitions;
using DataHub.Pipelines.Ingest;

namespace DataHub.Host.Tests;

public sealed class PipelineDefinitionTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("datahub-pipelines-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void The_shipped_pipelines_load_and_validate()
    {
        var pipelines = PipelineLoader.LoadDirectory(Path.Combine(DataHub.Host.Platform.DataHubSettings.FindRoot(), "pipelines"));
        var water = Assert.Single(pipelines, p => p.Name == "water_meter_daily");
        Assert.Equal("water.meter_reading_daily", water.Target);
        Assert.Equal(',', water.Source.Delimiter);
    }

    [Theory]
    [InlineData("schedule: \"every day\"", "schedule", 6)]
    [InlineData("schedule: \"0 0 2 * * ?\"\n    encoding: latin-1", "encoding", 11)]
    public void An_invalid_field_is_reported_with_file_line_and_field(string change, string field, int line)
    {
        var yaml = $"""
            name: broken
            department: water
            target: water.meter_reading_daily
            source:
              path: samples/water
            {change}
            """;
        if (field == "encoding")
        {
            yaml = """
                name: broken
                department: water
                target: water.meter_reading_daily
                schedule: "0 0 2 * * ?"
                source:
                  path: samples/water
                  pattern: "*.csv"
                  format: csv
                  delimiter: ","

                  encoding: latin-1
                """;
        }

        var file = Path.Combine(_directory, "broken.yaml");
        File.WriteAllText(file, yaml);
        var error = Assert.Throws<PipelineDefinitionException>(() => PipelineLoader.Load(file));
        Assert.StartsWith($"{file}:{line}:", error.Message, StringComparison.Ordinal);
        Assert.Contains(field, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_required_field_is_named()
    {
        var file = Path.Combine(_directory, "nodept.yaml");
        File.WriteAllText(file, "name: x\ntarget: a.b\nsource:\n  path: p\n");
        var error = Assert.Throws<PipelineDefinitionException>(() => PipelineLoader.Load(file));
        Assert.Contains("field 'department': is required", error.Message, StringComparison.Ordinal);
        Assert.StartsWith(file, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Gbk_and_utf8_with_bom_decode_to_the_same_text_with_source_line_numbers()
    {
        const string text = "户号,地址\r\nA1,\"合肥市蜀山区,长江西路\r\n2号\"\r\n\r\nA2,庐阳区\r\n";
        var gbk = Path.Combine(_directory, "gbk.csv");
        var bom = Path.Combine(_directory, "bom.csv");
        System.Text.Encoding.RegisterProvider(System.Text.CodePagesEncodingProvider.Instance);
        File.WriteAllBytes(gbk, System.Text.Encoding.GetEncoding("GBK").GetBytes(text));
        File.WriteAllText(bom, text, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: true));

        string? Map(string header) => header switch { "户号" => "account_no", "地址" => "address", _ => null };
        var fromGbk = SourceDecoder.Normalize(gbk, gbk + ".out", "auto", ',', Map);
        var fromBom = SourceDecoder.Normalize(bom, bom + ".out", "auto", ',', Map);

        Assert.Equal("gb18030", fromGbk.Encoding);
        Assert.Equal("utf-8", fromBom.Encoding);
        Assert.Equal(["户号", "地址"], fromBom.Headers);
        Assert.Equal(2, fromGbk.Records);
        var expected = "__line,account_no,address\n2,A1,\"合肥市蜀山区,长江西路\n2号\"\n5,A2,庐阳区\n";
        Assert.Equal(expected, File.ReadAllText(gbk + ".out"));
        Assert.Equal(expected, File.ReadAllText(bom + ".out"));
    }
}
