using DataHub.Catalog;
using DataHub.Host.Cli;
using DataHub.Host.Platform;
using YamlDotNet.RepresentationModel;

namespace DataHub.Host.Tests.Samples;

/// <summary>The files in samples/ against samples/README.md, the pipelines and the catalog.</summary>
public sealed class SampleFilesTests
{
    private static readonly string Root = DataHubSettings.FindRoot();
    private static readonly SamplesReadme Readme = SamplesReadme.Load(Root);
    private static readonly CatalogDefinitions Catalog = CatalogDefinitions.Load(Path.Combine(Root, "catalog"));

    public static TheoryData<string> ListedFiles() => [.. Readme.Files.Select(f => f.File)];

    [Fact]
    public void Every_sample_file_is_listed_once_and_every_listed_file_exists()
    {
        var onDisk = Directory.EnumerateFiles(Path.Combine(Root, "samples"), "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Path.Combine(Root, "samples"), f).Replace('\\', '/'))
            .Where(f => f != "README.md" && !f.StartsWith("themes/", StringComparison.Ordinal)).Order(StringComparer.Ordinal);   // themes/: the fusion's expected values
        Assert.Equal(onDisk, Readme.Files.Select(f => f.File).Order(StringComparer.Ordinal));
        Assert.Equal(12, Readme.Files.Select(f => f.Dataset).Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(ListedFiles))]
    public void The_readme_counts_match_the_file(string name)
    {
        var row = Readme.Files.Single(f => f.File == name);
        var file = SourceFile.Read(Path.Combine(Root, "samples", name));

        Assert.Equal(row.Encoding, file.Encoding);
        Assert.Equal(row.Format, name.EndsWith(".ndjson", StringComparison.Ordinal) ? "ndjson" : "csv");
        Assert.Equal(row.Rows, file.Records.Count);
        var counted = file.CountDirt(Readme.Columns[row.Dataset]);
        Assert.Equal(row.Dirt, counted);
        // Every kind of dirt is in the files somewhere, and each dirty record is rejected at most once.
        Assert.InRange(row.Rejected, 1, row.Rows);
        Assert.True(row.Dirt.Values.Sum() + row.Other >= row.Rejected);
    }

    [Fact]
    public void Every_kind_of_dirt_is_present_and_one_new_file_is_gbk_and_one_source_is_ndjson()
    {
        foreach (var kind in new[] { "blank", "无", "full-width", "duplicate", "impossible date", "negative", "bad check digit", "extra field" })
        {
            Assert.True(Readme.Files.Sum(f => f.Dirt[kind]) > 0, kind);
        }

        var added = Readme.Files.Where(f => !f.File.StartsWith("water/", StringComparison.Ordinal)).ToList();
        Assert.Single(added, f => f.Encoding == "gbk");
        Assert.Contains(added, f => f.Format == "ndjson");
        Assert.All(added, f => Assert.InRange(f.Rows, 200, 1_000));
    }

    [Fact]
    public void Every_pipeline_reads_sample_files_whose_headers_are_its_datasets_sources()
    {
        var pipelines = Directory.EnumerateFiles(Path.Combine(Root, "pipelines"), "*.yaml").ToList();
        Assert.Equal(12, pipelines.Count);
        foreach (var path in pipelines)
        {
            var yaml = new YamlStream();
            using (var reader = new StreamReader(path))
            {
                yaml.Load(reader);
            }

            var root = (YamlMappingNode)yaml.Documents[0].RootNode;
            var source = (YamlMappingNode)root["source"];
            var dataset = Catalog.GetDataset(((YamlScalarNode)root["target"]).Value!);
            var mapping = root.Children.TryGetValue(new YamlScalarNode("mapping"), out var m)
                ? ((YamlMappingNode)m).Children.ToDictionary(c => ((YamlScalarNode)c.Key).Value!, c => ((YamlScalarNode)c.Value).Value!, StringComparer.Ordinal)
                : [];
            var files = Directory.EnumerateFiles(Path.Combine(Root, ((YamlScalarNode)source["path"]).Value!), ((YamlScalarNode)source["pattern"]).Value!).ToList();
            Assert.NotEmpty(files);
            foreach (var file in files)
            {
                var headers = SourceFile.Read(file).Headers;
                var columns = headers.Select(h => mapping.TryGetValue(h, out var column) ? dataset.Columns.SingleOrDefault(c => c.Name == column) : dataset.ColumnForSource(h)).ToList();
                Assert.All(columns, c => Assert.NotNull(c));
                Assert.Equal(dataset.Columns.Select(c => c.Name).Order(StringComparer.Ordinal), columns.Select(c => c!.Name).Order(StringComparer.Ordinal));
            }
        }
    }

    [Fact]
    public async Task The_generated_samples_are_byte_for_byte_what_the_readme_commands_make()
    {
        var commands = File.ReadAllLines(Path.Combine(Root, "samples", "README.md"))
            .Where(l => l.StartsWith("datahub samples generate ", StringComparison.Ordinal)).ToList();
        Assert.Equal(11, commands.Count);
        var output = Directory.CreateTempSubdirectory("datahub-samples-again-").FullName;
        try
        {
            foreach (var command in commands)
            {
                var args = command["datahub ".Length..].Split(' ');
                args[Array.IndexOf(args, "--out") + 1] = output;
                using var writer = new StringWriter();
                Assert.Equal(0, await DataHubCli.RunAsync(args, writer, CancellationToken.None));
            }

            var made = Directory.EnumerateFiles(output, "*", SearchOption.AllDirectories).ToList();
            Assert.Equal(11, made.Count);
            foreach (var file in made)
            {
                var name = Path.GetRelativePath(output, file);
                Assert.Equal(File.ReadAllBytes(Path.Combine(Root, "samples", name)), File.ReadAllBytes(file));
            }
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }
}
