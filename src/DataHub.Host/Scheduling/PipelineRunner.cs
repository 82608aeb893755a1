using DataHub.Host.Platform;
using DataHub.Pipelines.Definitions;
using DataHub.Pipelines.Ingest;
using Microsoft.Extensions.Logging;

namespace DataHub.Host.Scheduling;

/// <summary>Runs pipelines by name against the platform: used by the scheduler and by <c>datahub demo</c>.</summary>
public sealed class PipelineRunner : IDisposable
{
    private readonly DataHubPlatform _platform;
    private readonly ILoggerFactory _loggers;
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);

    /// <summary>Creates a runner and loads <c>pipelines/*.yaml</c>.</summary>
    public PipelineRunner(DataHubPlatform platform, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(platform);
        _platform = platform;
        _loggers = loggers;
        Pipelines = PipelineLoader.LoadDirectory(Path.Combine(platform.Settings.Root, "pipelines"));
        foreach (var pipeline in Pipelines)
        {
            if (!platform.Definitions.TryGetDataset(pipeline.Target, out _))
            {
                throw new PipelineDefinitionException($"{pipeline.SourceFile}: target '{pipeline.Target}' is not a dataset in catalog/datasets.");
            }
        }
    }

    /// <summary>The pipelines defined.</summary>
    public IReadOnlyList<PipelineDefinition> Pipelines { get; }

    /// <inheritdoc />
    public void Dispose() => _oneAtATime.Dispose();

    /// <summary>Runs one pipeline now (runs are serialised so two never write the same table at once).</summary>
    public async Task<IngestReport> RunAsync(string name, CancellationToken ct)
    {
        var pipeline = Pipelines.FirstOrDefault(p => p.Name == name)
            ?? throw new KeyNotFoundException($"No pipeline named '{name}' in {Path.Combine(_platform.Settings.Root, "pipelines")}.");
        var dataset = _platform.Definitions.GetDataset(pipeline.Target);
        await _oneAtATime.WaitAsync(ct);
        try
        {
            var ingestor = new CsvIngestor(_platform.Catalog, _platform.Tables, _platform.Settings.Home, _loggers.CreateLogger("DataHub.Ingest"), _platform.Lineage);
            IReadOnlyList<DataHub.Quality.Rules.QualityRule> gate = pipeline.QualityGate
                ? DataHub.Quality.Service.RuleBinder.Bind(dataset,
                    DataHub.Quality.Definitions.RuleFileLoader.LoadDirectory(Path.Combine(_platform.Settings.Root, "catalog", "rules"), _platform.Definitions),
                    reference => reference, _platform.Definitions)
                : [];
            return await ingestor.RunAsync(pipeline, dataset, _platform.Settings.Root, gate, ct);
        }
        finally
        {
            _oneAtATime.Release();
        }
    }
}
