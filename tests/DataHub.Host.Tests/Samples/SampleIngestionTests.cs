using DataHub.Host.Platform;
using DataHub.Pipelines.Definitions;
using DataHub.Pipelines.Ingest;
using DataHub.Quality.Definitions;
using DataHub.Quality.Service;
using Microsoft.Extensions.Logging.Abstractions;

namespace DataHub.Host.Tests.Samples;

/// <summary>
/// Every sample source (CSV, GBK, NDJSON) through its pipeline as defined, with the quality gate of catalog/rules
/// (fail rules quarantine): each file's quarantined rows are the README's <c>rejected</c> count, and read =
/// committed + quarantined.
/// </summary>
public sealed class SampleIngestionTests(PlatformFixture fixture) : IClassFixture<PlatformFixture>
{
    private static readonly string Root = DataHubSettings.FindRoot();

    public static TheoryData<string> Pipelines() =>
        [.. PipelineLoader.LoadDirectory(Path.Combine(Root, "pipelines")).Select(p => p.Name)];

    [Theory]
    [MemberData(nameof(Pipelines))]
    public async Task Each_sample_file_quarantines_the_rows_the_readme_says(string name)
    {
        var pipeline = PipelineLoader.LoadDirectory(Path.Combine(Root, "pipelines")).Single(p => p.Name == name);
        Assert.True(pipeline.Gate.Enabled, $"{name} has no quality gate");
        var catalog = fixture.Platform.Definitions;
        var dataset = catalog.GetDataset(pipeline.Target);
        var gate = RuleBinder.Bind(dataset, RuleFileLoader.LoadDirectory(Path.Combine(Root, "catalog", "rules"), catalog), r => r, catalog);
        var ingestor = new PipelineIngestor(fixture.Platform.Catalog, fixture.Platform.DataSource, fixture.Platform.Tables, fixture.Home, NullLogger.Instance);

        var report = await ingestor.RunAsync(pipeline, dataset, Root, new IngestOptions { Gate = gate });

        var files = SamplesReadme.Load(Root).Files.Where(f => f.Dataset == dataset.Name).ToList();
        Assert.Equal(files.Sum(f => f.Rows), report.RowsRead);
        foreach (var file in files)
        {
            var rejected = report.Rejections.Where(r => r.SourceFile == "samples/" + file.File).Select(r => r.Line).Distinct().Count();
            Assert.True(file.Rejected == rejected,
                $"{file.File}: README says {file.Rejected} rejected, the gate quarantined {rejected}: "
                + string.Join(" | ", report.Rejections.Where(r => r.SourceFile == "samples/" + file.File).Select(r => $"{r.Line}: {r.Reason}")));
        }

        Assert.Equal(files.Sum(f => f.Rejected), report.RowsQuarantined);
        Assert.Equal(report.RowsRead - report.RowsQuarantined, report.RowsCommitted);
    }
}
