using DataHub.Host.Platform;
using DataHub.Pipelines.Definitions;
using DataHub.Pipelines.Ingest;
using DataHub.Quality.Definitions;
using DataHub.Quality.Service;
using Microsoft.Extensions.Logging;

namespace DataHub.Host.Scheduling;

/// <summary>
/// Runs pipelines by name against the platform: used by the scheduler, the CLI, the HTTP API and <c>datahub demo</c>.
/// Definitions that do not validate (YAML, or against the catalog) are listed in <see cref="Problems"/> and are never
/// run or scheduled; the valid ones are.
/// </summary>
public sealed partial class PipelineRunner : IDisposable
{
    private readonly DataHubPlatform _platform;
    private readonly ILogger _logger;
    private readonly ILoggerFactory _loggers;

    /// <summary>Creates a runner and loads <c>pipelines/*.yaml</c>.</summary>
    public PipelineRunner(DataHubPlatform platform, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(platform);
        ArgumentNullException.ThrowIfNull(loggers);
        _platform = platform;
        _loggers = loggers;
        _logger = loggers.CreateLogger("DataHub.Pipelines");
        (Pipelines, Problems) = Load(platform.Settings.Root, platform.Definitions);
        foreach (var problem in Problems)
        {
            LogInvalid(_logger, problem);
        }
    }

    /// <summary>The valid pipelines.</summary>
    public IReadOnlyList<PipelineDefinition> Pipelines { get; }

    /// <summary>Every problem of the definitions left out, as <c>file:line: field 'x': problem</c>.</summary>
    public IReadOnlyList<string> Problems { get; }

    /// <summary>
    /// Validates a folder of pipeline definitions: YAML and field rules first, then each pipeline against the catalog
    /// of <paramref name="root"/>. Needs no database.
    /// </summary>
    public static (IReadOnlyList<PipelineDefinition> Valid, IReadOnlyList<string> Problems) Load(string root, Catalog.CatalogDefinitions catalog, string? directory = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var (loaded, problems) = PipelineLoader.ValidateDirectory(directory ?? Path.Combine(root, "pipelines"));
        var rules = RuleFileLoader.LoadDirectory(Path.Combine(root, "catalog", "rules"), catalog);
        var valid = new List<PipelineDefinition>();
        var all = problems.ToList();
        foreach (var pipeline in loaded)
        {
            var found = PipelineCatalogCheck.Check(pipeline, catalog, rules);
            all.AddRange(found);
            if (found.Count == 0)
            {
                valid.Add(pipeline);
            }
        }

        return (valid, all);
    }

    /// <inheritdoc />
    public void Dispose()
    {
    }

    /// <summary>The pipeline of that name, or a clear error naming the valid ones (and why it is invalid, if it is).</summary>
    public PipelineDefinition Get(string name)
    {
        var pipeline = Pipelines.FirstOrDefault(p => p.Name == name);
        if (pipeline is not null)
        {
            return pipeline;
        }

        var invalid = Problems.Where(p => p.Contains($"{name}.yaml", StringComparison.Ordinal)).ToList();
        throw new KeyNotFoundException(invalid.Count > 0
            ? $"Pipeline '{name}' does not validate, so it cannot run:\n  {string.Join("\n  ", invalid)}"
            : $"No pipeline named '{name}' in {Path.Combine(_platform.Settings.Root, "pipelines")} (valid: {string.Join(", ", Pipelines.Select(p => p.Name))}).");
    }

    /// <summary>Runs one pipeline now, retrying a failed run as its <c>retries</c> say (not a run its quality gate failed).</summary>
    public async Task<IngestReport> RunAsync(string name, CancellationToken ct, string trigger = "manual", IProgress<IngestProgress>? progress = null)
    {
        var pipeline = Get(name);
        var dataset = _platform.Definitions.GetDataset(pipeline.Target);
        var gate = GateRules(pipeline, dataset);
        var ingestor = Ingestor();
        return await DataHub.Pipelines.Runs.PipelineRetry.RunAsync(pipeline.Retries,
            attempt => ingestor.RunAsync(pipeline, dataset, _platform.Settings.Root,
                new IngestOptions { Gate = gate, Trigger = attempt == 1 ? trigger : "retry", Attempt = attempt, Progress = progress }, ct),
            (attempt, wait, e) => LogRetry(_logger, pipeline.Name, attempt, wait, e.Message), ct);
    }

    /// <summary>Re-submits corrected quarantined rows: the file goes through the pipeline like a source file, and the ids it carries are resolved.</summary>
    public async Task<IngestReport> ResubmitAsync(string name, string file, IReadOnlyList<string> quarantineIds, CancellationToken ct)
    {
        var pipeline = Get(name);
        var dataset = _platform.Definitions.GetDataset(pipeline.Target);
        var gate = GateRules(pipeline, dataset);
        var ingestor = Ingestor();
        var csv = pipeline with { Source = pipeline.Source with { Kind = SourceKind.File, Format = "csv", Encoding = "auto", Delimiter = ',' } };
        return await ingestor.RunAsync(csv, dataset, _platform.Settings.Root,
            new IngestOptions { Gate = gate, Trigger = "resubmit", Files = [file], Resubmitted = quarantineIds }, ct);
    }

    private PipelineIngestor Ingestor() =>
        new PipelineIngestor(_platform.Catalog, _platform.DataSource, _platform.Tables, _platform.Settings.Home, _loggers.CreateLogger("DataHub.Ingest"), _platform.Lineage);

    private IReadOnlyList<DataHub.Quality.Rules.QualityRule> GateRules(PipelineDefinition pipeline, Catalog.DatasetDefinition dataset) =>
        pipeline.Gate.Enabled
            ? RuleBinder.Bind(dataset, RuleFileLoader.LoadDirectory(Path.Combine(_platform.Settings.Root, "catalog", "rules"), _platform.Definitions), reference => reference, _platform.Definitions)
            : [];

    [LoggerMessage(Level = LogLevel.Error, Message = "Pipeline definition left out: {Problem}")]
    private static partial void LogInvalid(ILogger logger, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pipeline {Pipeline} attempt {Attempt} failed ({Error}); retrying in {Wait}")]
    private static partial void LogRetry(ILogger logger, string pipeline, int attempt, TimeSpan wait, string error);
}
