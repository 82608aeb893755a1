using System.Globalization;
using System.Text;
using DataHub.Catalog.Tests;
using DataHub.Pipelines.Ingest;
using DataHub.Pipelines.Sources;

namespace DataHub.Pipelines.Tests;

public sealed class JsonSourceDecoderTests : IDisposable
{
    private static readonly Dictionary<string, string> PermitMap = new()
    {
        ["id"] = "permit_id",
        ["name"] = "holder_name",
        ["score"] = "score",
        ["active"] = "active",
        ["tags"] = "tags",
        ["addr"] = "address",
        ["note"] = "note",
    };

    private readonly string directory = TestDirectories.Create("json-decoder");

    static JsonSourceDecoderTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public void Dispose() => TestDirectories.Delete(directory);

    [Fact]
    public void Ndjson_records_map_to_columns_with_their_source_lines()
    {
        var source = Write("permits.ndjson", """
            {"id": 1, "name": "张三", "score": 1.50, "active": true, "tags": ["a", "b"], "addr": {"city": "杭州", "zip": "310000"}, "note": null}

            {"id": 2, "name": "李四", "score": 2e3, "active": false, "extra": "未映射的字段", "addr": {"city": "宁波", "lines": ["一号", "\"二\"号"]}}
            {"name": "王五", "id": 3}
            """);

        var file = JsonSourceDecoder.Normalize(source, Output("permits"), "ndjson", "auto", PermitMap, null);

        Assert.Equal(3, file.Records);
        Assert.Equal(4, file.Lines);
        Assert.Empty(file.Rejected!);
        Assert.Equal("utf-8", file.Encoding);
        Assert.Equal(["permits.ndjson", Path.GetFileName(file.DecodedPath)], Directory.GetFiles(directory).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(["id", "name", "score", "active", "tags", "addr", "note", "extra"], file.Headers);
        Assert.Equal(["permit_id", "holder_name", "score", "active", "tags", "address", "note", "__extra_8"], file.Columns);
        var (header, rows) = NormalizedCsv.Read(file.DecodedPath);
        Assert.Equal(["__line", .. file.Columns], header);
        Assert.Equal(
            [
                """1|1|张三|1.50|true|["a","b"]|{"city":"杭州","zip":"310000"}|∅|∅""",
                """3|2|李四|2e3|false|∅|{"city":"宁波","lines":["一号","\"二\"号"]}|∅|未映射的字段""",
                "4|3|王五|∅|∅|∅|∅|∅|∅",
            ],
            rows.Select(NormalizedCsv.Join));
    }

    [Fact]
    public void Json_array_records_carry_the_line_they_start_on()
    {
        var source = Write("array.json", """
            [
              {
                "id": 1,
                "name": "张三, \"老张\""
              },
              {"id": 2, "name": "多行\n文本\r\n第三行", "note": "  前后空格  "},

              {
                "id": 3, "name": "x", "tags": []
              }
            ]
            """);

        var file = JsonSourceDecoder.Normalize(source, Output("array"), "json", "utf-8", PermitMap, null);

        Assert.Equal(3, file.Records);
        Assert.Equal(11, file.Lines);
        var rows = NormalizedCsv.Read(file.DecodedPath).Rows;
        Assert.Equal(["2", "6", "8"], rows.Select(r => r[0]));
        Assert.Equal(["张三, \"老张\"", "多行\n文本\r\n第三行", "x"], rows.Select(r => r[2]));
        Assert.Equal("  前后空格  ", rows[1][7]);
        Assert.Equal("[]", rows[2][5]);
    }

    [Fact]
    public void The_records_path_finds_the_array_inside_the_document_and_skips_decoys()
    {
        var source = Write("nested.json", """
            {
              "meta": {"items": [{"id": 99}], "count": 2, "data": {"items": [{"id": 98}]}},
              "data": {
                "total": 2,
                "pages": [[1, 2], {"items": [1]}],
                "items": [
                  {"id": 1, "name": "一"},
                  {"id": 2, "name": "二"}
                ],
                "after": {"items": [{"id": 100}]}
              },
              "data2": {"items": [{"id": 101}]}
            }
            """);

        var file = JsonSourceDecoder.Normalize(source, Output("nested"), "json", "auto", PermitMap, "data.items");

        Assert.Equal(["7|1|一", "8|2|二"], NormalizedCsv.Read(file.DecodedPath).Rows.Select(r => NormalizedCsv.Join(r[..3])));

        var missing = Assert.Throws<IngestException>(() =>
            JsonSourceDecoder.Normalize(source, Output("missing"), "json", "auto", PermitMap, "data.records"));
        Assert.Contains(source, missing.Message, StringComparison.Ordinal);
        Assert.Contains("data.records", missing.Message, StringComparison.Ordinal);

        var notArray = Assert.Throws<IngestException>(() =>
            JsonSourceDecoder.Normalize(source, Output("not-array"), "json", "auto", PermitMap, "data.total"));
        Assert.Contains($"{source}:4:", notArray.Message, StringComparison.Ordinal);
        Assert.Contains("not an array", notArray.Message, StringComparison.Ordinal);

        var rootIsObject = Assert.Throws<IngestException>(() =>
            JsonSourceDecoder.Normalize(source, Output("root"), "json", "auto", PermitMap, null));
        Assert.Contains("not an array of records", rootIsObject.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Gbk_ndjson_is_decoded_with_its_chinese_text()
    {
        var text = "{\"id\": 1, \"name\": \"张三丰\", \"addr\": {\"city\": \"北京市海淀区\"}}\n{\"id\": 2, \"name\": \"欧阳修\"}\n";
        var source = Path.Combine(directory, "gbk.ndjson");
        File.WriteAllBytes(source, Encoding.GetEncoding(936).GetBytes(text));

        foreach (var declared in new[] { "auto", "gbk", "gb18030" })
        {
            var file = JsonSourceDecoder.Normalize(source, Output($"gbk-{declared}"), "ndjson", declared, PermitMap, null);
            Assert.Equal("gb18030", file.Encoding, ignoreCase: true);
            Assert.Equal(
                ["1|1|张三丰|∅|∅|∅|{\"city\":\"北京市海淀区\"}|∅", "2|2|欧阳修|∅|∅|∅|∅|∅"],
                NormalizedCsv.Read(file.DecodedPath).Rows.Select(NormalizedCsv.Join));
        }

        // The same text as a GBK JSON array goes through the transcoding stream.
        var array = Path.Combine(directory, "gbk.json");
        File.WriteAllBytes(array, Encoding.GetEncoding(936).GetBytes("[\n" + text.Replace("}\n{", "},\n{", StringComparison.Ordinal) + "]\n"));
        var decoded = JsonSourceDecoder.Normalize(array, Output("gbk-array"), "json", "gbk", PermitMap, null);
        Assert.Equal(["2|张三丰", "3|欧阳修"], NormalizedCsv.Read(decoded.DecodedPath).Rows.Select(r => $"{r[0]}|{r[2]}"));
    }

    [Fact]
    public void Bad_ndjson_lines_are_reported_with_their_line_and_nothing_is_lost()
    {
        string[] lines =
        [
            """{"id": 1, "name": "好"}""",
            """{"id": 2, "name": "缺引号}""",
            """[1, 2]""",
            "\"just a string\"",
            """{"id": 5} trailing""",
            """{"id": 6, "name": "a", "id": 7}""",
            "",
            """{"id": 8, "name": "末行, \"引号\""}""",
            "{\"id\": 9, \"name\": \"" + new string('长', 3000),
        ];
        var source = Write("mixed.ndjson", string.Join("\n", lines));

        var file = JsonSourceDecoder.Normalize(source, Output("mixed"), "ndjson", "auto", PermitMap, null);

        var rejected = file.Rejected!;
        Assert.Equal([2L, 3, 4, 5, 6, 9], rejected.Select(r => r.Line));
        Assert.Equal(lines.Count(l => l.Length > 0), file.Records + rejected.Count);
        Assert.Equal(2, file.Records);
        Assert.Equal(9, file.Lines);
        Assert.StartsWith("not valid JSON", rejected[0].Reason, StringComparison.Ordinal);
        Assert.Contains("not a JSON object but an array", rejected[1].Reason, StringComparison.Ordinal);
        Assert.Contains("not a JSON object but a string", rejected[2].Reason, StringComparison.Ordinal);
        Assert.StartsWith("not valid JSON", rejected[3].Reason, StringComparison.Ordinal);
        Assert.Contains("'id' appears more than once", rejected[4].Reason, StringComparison.Ordinal);
        Assert.Equal([lines[1], lines[2], lines[3], lines[4], lines[5]], rejected.Take(5).Select(r => r.RawText));
        Assert.Equal(DecodeRejection.MaxRawLength, rejected[5].RawText.Length);
        Assert.StartsWith("{\"id\": 9", rejected[5].RawText, StringComparison.Ordinal);
        Assert.Equal(["1|好", "8|末行, \"引号\""], NormalizedCsv.Read(file.DecodedPath).Rows.Select(r => $"{r[0]}|{r[2]}"));
    }

    [Fact]
    public void Non_object_elements_of_a_json_array_are_reported_not_dropped()
    {
        var source = Write("elements.json", """
            [
              {"id": 1},
              42,
              [ {"id": 2} ],
              null,
              {"id": 3, "id": 4},
              {"id": 5}
            ]
            """);

        var file = JsonSourceDecoder.Normalize(source, Output("elements"), "json", "auto", PermitMap, null);

        Assert.Equal(2, file.Records);
        Assert.Equal(
            ["3:42", "4:[{\"id\":2}]", "5:null", "6:{\"id\":3,\"id\":4}"],
            file.Rejected!.Select(r => $"{r.Line}:{r.RawText}"));
        Assert.Equal(["2", "7"], NormalizedCsv.Read(file.DecodedPath).Rows.Select(r => r[0]));
    }

    [Fact]
    public void A_malformed_json_file_fails_naming_the_file_and_line()
    {
        var source = Write("broken.json", """
            [
              {"id": 1},
              {"id": 2,, "name": "x"},
              {"id": 3}
            ]
            """);

        var error = Assert.Throws<IngestException>(() =>
            JsonSourceDecoder.Normalize(source, Output("broken"), "json", "auto", PermitMap, null));
        Assert.StartsWith($"{source}:3: not valid JSON", error.Message, StringComparison.Ordinal);

        var truncated = Write("truncated.json", "[\n  {\"id\": 1},\n  {\"id\": 2");
        error = Assert.Throws<IngestException>(() =>
            JsonSourceDecoder.Normalize(truncated, Output("truncated"), "json", "auto", PermitMap, null));
        Assert.StartsWith($"{truncated}:3: not valid JSON", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Large_files_stream_through_a_small_buffer_with_exact_lines()
    {
        // A tiny initial buffer forces refills inside tokens, growth for a 200 kB string, and line counting across refills.
        var source = Path.Combine(directory, "large.json");
        var longText = string.Concat(Enumerable.Repeat("长文本,\"q\"\n", 20_000));
        using (var writer = new StreamWriter(source, false, new UTF8Encoding(true)))
        {
            writer.Write("[\n");
            for (var i = 1; i <= 3000; i++)
            {
                var name = i == 1500 ? longText : $"名字{i}";
                writer.Write($"  {{\"id\": {i}, \"name\": {System.Text.Json.JsonSerializer.Serialize(name)},\n   \"tags\": [{i}, {{\"k\": \"v{i}\"}}]}}{(i < 3000 ? "," : "")}\n");
            }

            writer.Write("]\n");
        }

        var small = JsonSourceDecoder.Normalize(source, Output("large-small"), new JsonFormatOptions("json", "utf-8-bom"), PermitMap, bufferSize: 16);
        var usual = JsonSourceDecoder.Normalize(source, Output("large-usual"), new JsonFormatOptions("json", "auto"), PermitMap);

        Assert.Equal(3000, small.Records);
        Assert.Equal(6002, small.Lines);
        Assert.Equal(File.ReadAllBytes(usual.DecodedPath), File.ReadAllBytes(small.DecodedPath));
        var rows = NormalizedCsv.Read(small.DecodedPath).Rows;
        Assert.Equal(Enumerable.Range(1, 3000).Select(i => (2 * i).ToString(CultureInfo.InvariantCulture)), rows.Select(r => r[0]));
        Assert.Equal(longText, rows[1499][2]);
        Assert.Equal("[3000,{\"k\":\"v3000\"}]", rows[2999][5]);
    }

    [Fact]
    public void Options_and_mappings_are_checked()
    {
        var source = Write("one.ndjson", "{\"id\": 1}\n");
        Assert.Throws<IngestException>(() => JsonSourceDecoder.Normalize(source, Output("x"), "xml", "auto", PermitMap, null));
        Assert.Throws<IngestException>(() => JsonSourceDecoder.Normalize(source, Output("x"), "ndjson", "latin1", PermitMap, null));
        Assert.Throws<IngestException>(() => JsonSourceDecoder.Normalize(source, Output("x"), "ndjson", "auto", PermitMap, "data.items"));
        var twice = Assert.Throws<IngestException>(() => JsonSourceDecoder.Normalize(source, Output("x"), "ndjson", "auto",
            new Dictionary<string, string> { ["id"] = "permit_id", ["code"] = "permit_id" }, null));
        Assert.Contains("both map to the column 'permit_id'", twice.Message, StringComparison.Ordinal);
        Assert.Throws<IngestException>(() => JsonSourceDecoder.Normalize(source, Output("x"), "ndjson", "auto",
            new Dictionary<string, string> { ["id"] = "__line" }, null));
        Assert.Empty(new JsonFormatOptions("json", "gb18030", "data.items").Validate());
    }

    [Fact]
    public void Too_many_rejections_fail_the_file()
    {
        var source = Write("not-ndjson.ndjson", string.Join("\n", Enumerable.Range(0, 20).Select(i => $"row {i}, not json")));
        var error = Assert.Throws<IngestException>(() => JsonSourceDecoder.Normalize(
            source, Output("not-ndjson"), new JsonFormatOptions("ndjson") { MaxRejected = 10 }, PermitMap));
        Assert.Contains("more than 10 records rejected", error.Message, StringComparison.Ordinal);
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(directory, name);
        File.WriteAllText(path, text, new UTF8Encoding(false));
        return path;
    }

    private string Output(string name) => Path.Combine(directory, $"{name}.normalised.csv");
}
