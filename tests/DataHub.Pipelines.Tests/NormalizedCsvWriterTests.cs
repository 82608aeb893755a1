using System.Text;
using DataHub.Catalog.Tests;
using DataHub.Pipelines.Sources;

namespace DataHub.Pipelines.Tests;

public sealed class NormalizedCsvWriterTests : IDisposable
{
    private readonly string directory = TestDirectories.Create("csv-writer");

    public void Dispose() => TestDirectories.Delete(directory);

    [Fact]
    public void Awkward_values_come_back_unchanged_from_duckdb()
    {
        string?[] values =
        [
            "plain", "a,b", "say \"hi\"", "two\nlines", "crlf\r\nend", "cr\ronly", "  padded  ", "\ttab first", "中文，全角逗号, 半角",
            "\"", ",", "\"\"", "trailing backslash\\", "'single'", "#hash", "null", "NULL", "x", "",
        ];
        var path = Path.Combine(directory, "awkward.csv");
        using (var writer = new NormalizedCsvWriter(path, ["value", "position"]))
        {
            for (var i = 0; i < values.Length; i++)
            {
                writer.WriteRecord(100 + i, [values[i], i.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            }

            writer.WriteRecord(999, [null, null]);
            Assert.Equal(values.Length + 1, writer.Records);
        }

        var (header, rows) = NormalizedCsv.Read(path);
        Assert.Equal(["__line", "value", "position"], header);
        Assert.Equal(values.Length + 1, rows.Count);
        for (var i = 0; i < values.Length; i++)
        {
            Assert.Equal((100 + i).ToString(System.Globalization.CultureInfo.InvariantCulture), rows[i][0]);
            // An empty string is written as an empty field, which ingestion reads as NULL, as it does a null.
            Assert.Equal(values[i] is "" ? null : values[i], rows[i][1]);
        }

        Assert.Equal("999|∅|∅", NormalizedCsv.Join(rows[^1]));
    }

    [Fact]
    public void The_file_is_utf8_without_bom_with_lf_line_ends_and_minimal_quoting()
    {
        var path = Path.Combine(directory, "bytes.csv");
        using (var writer = new NormalizedCsvWriter(path, ["a", "b"]))
        {
            writer.WriteRecord(1, ["张三", null]);
            writer.WriteRecord(2, ["a \"q\"", " lead"]);
        }

        var bytes = File.ReadAllBytes(path);
        Assert.NotEqual(0xEF, bytes[0]);
        Assert.Equal("__line,a,b\n1,张三,\n2,\"a \"\"q\"\"\",\" lead\"\n", Encoding.UTF8.GetString(bytes));
        Assert.True(NormalizedCsvWriter.NeedsQuoting("x ", ','));
        Assert.False(NormalizedCsvWriter.NeedsQuoting("x;y", ','));
        Assert.True(NormalizedCsvWriter.NeedsQuoting("x;y", ';'));
    }

    [Fact]
    public void Bad_columns_and_short_records_are_refused()
    {
        var path = Path.Combine(directory, "bad.csv");
        Assert.Throws<ArgumentException>(() => new NormalizedCsvWriter(path, ["a", "a"]));
        Assert.Throws<ArgumentException>(() => new NormalizedCsvWriter(path, ["__line"]));
        Assert.Throws<ArgumentException>(() => new NormalizedCsvWriter(path, ["a", " "]));
        Assert.Throws<ArgumentException>(() => new NormalizedCsvWriter(path, ["a"], '"'));
        using var writer = new NormalizedCsvWriter(path, ["a", "b"]);
        Assert.Throws<ArgumentException>(() => writer.WriteRecord(1, ["only one"]));
        Assert.Equal(0, writer.Records);
    }
}
