using FluentValidation;
using Quartz;

namespace DataHub.Pipelines.Definitions;

/// <summary>
/// The rules a pipeline definition must meet before it is scheduled. Property names are the YAML field paths
/// (<c>source.encoding</c>) so that the loader can report the line of each problem.
/// </summary>
public sealed class PipelineDefinitionValidator : AbstractValidator<PipelineDefinition>
{
    private static readonly string[] Encodings = ["auto", "utf-8", "utf-8-bom", "gbk", "gb18030"];
    private static readonly string[] Formats = ["csv", "json", "ndjson"];
    private const string Identifier = "^[a-z_][a-z0-9_]*$";

    /// <summary>Creates the rules.</summary>
    public PipelineDefinitionValidator()
    {
        RuleFor(p => p.Name).NotEmpty().OverridePropertyName("name").WithMessage("is required")
            .Matches("^[a-z][a-z0-9_]{0,62}$").OverridePropertyName("name").WithMessage("must be a lower-case identifier (letters, digits, '_')");
        RuleFor(p => p.Department).NotEmpty().OverridePropertyName("department").WithMessage("is required (the owner department's code)");
        RuleFor(p => p.Target).NotEmpty().OverridePropertyName("target").WithMessage("is required")
            .Matches("^[a-z_][a-z0-9_]*\\.[a-z_][a-z0-9_]*$").OverridePropertyName("target").WithMessage("must be a catalog dataset name such as water.meter_reading_daily");
        RuleFor(p => p.Schedule!).Must(s => CronExpression.TryParse(s, out _)).When(p => p.Schedule is not null).OverridePropertyName("schedule")
            .WithMessage(p => $"'{p.Schedule}' is not a Quartz cron expression (seconds minutes hours day-of-month month day-of-week)");
        RuleFor(p => p.TimeZone).Must(BeTimeZone).OverridePropertyName("time_zone").WithMessage(p => $"'{p.TimeZone}' is not a time zone id such as Asia/Shanghai");
        RuleForEach(p => p.Mapping.Values).Matches(Identifier).OverridePropertyName("mapping").WithMessage("maps to catalog column names (lower-case identifiers)");
        RuleFor(p => p.Transform!).Must(t => t.TrimStart().StartsWith("SELECT", StringComparison.OrdinalIgnoreCase) || t.TrimStart().StartsWith("WITH", StringComparison.OrdinalIgnoreCase))
            .When(p => p.Transform is not null).OverridePropertyName("transform").WithMessage("must be one SELECT (or WITH … SELECT) over the relation 'source'");
        RuleForEach(p => p.Write.Key).Matches(Identifier).OverridePropertyName("write.key").WithMessage("lists column names (lower-case identifiers)");
        RuleFor(p => p.Write.Key).NotEmpty().When(p => p.Write.Mode == WriteMode.Merge).OverridePropertyName("write.key").WithMessage("is required to merge (the key rows are matched on)");
        RuleFor(p => p.Write.Partition).NotEmpty().When(p => p.Write.Mode == WriteMode.OverwritePartition).OverridePropertyName("write.partition")
            .WithMessage("is required to overwrite a partition (the column whose values the run replaces)");
        RuleFor(p => p.Write.Partition!).Matches(Identifier).When(p => p.Write.Partition is not null).OverridePropertyName("write.partition").WithMessage("must be a column name");
        RuleFor(p => p.Gate.MaxRejectedPercent).InclusiveBetween(0, 100).When(p => p.Gate.MaxRejectedPercent is not null)
            .OverridePropertyName("quality_gate.max_rejected_percent").WithMessage("is a percentage between 0 and 100");
        RuleFor(p => p.Retries.Count).InclusiveBetween(0, 10).OverridePropertyName("retries.count").WithMessage("is between 0 and 10");
        RuleFor(p => p.Source).SetValidator(new SourceValidator());
    }

    private static bool BeTimeZone(string id)
    {
        try
        {
            TimeZoneInfo.FindSystemTimeZoneById(id);
            return true;
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return false;
        }
    }

    private sealed class SourceValidator : AbstractValidator<SourceDefinition>
    {
        public SourceValidator()
        {
            When(s => s.Kind == SourceKind.File, () =>
            {
                RuleFor(s => s).Must(s => (s.Path is null) != (s.Inbox is null)).OverridePropertyName("source.path")
                    .WithMessage("a file source names either path (a folder of the repository) or inbox (a department folder under $DATAHUB_HOME/inbox)");
                RuleFor(s => s.Inbox!).Matches("^[a-z][a-z0-9_-]*$").When(s => s.Inbox is not null).OverridePropertyName("source.inbox")
                    .WithMessage("is a department folder name (lower-case letters, digits, '-', '_'), not a path");
                RuleFor(s => s.Pattern).NotEmpty().Must(p => !p.Contains('/', StringComparison.Ordinal) && !p.Contains('\\', StringComparison.Ordinal) && !p.Contains("..", StringComparison.Ordinal))
                    .OverridePropertyName("source.pattern").WithMessage("is a file name pattern; it cannot contain '/', '\\' or '..'");
                RuleFor(s => s.Format).Must(f => Formats.Contains(f)).OverridePropertyName("source.format").WithMessage(s => $"'{s.Format}' is not csv, json or ndjson");
                RuleFor(s => s.Encoding).Must(e => Encodings.Contains(e)).OverridePropertyName("source.encoding")
                    .WithMessage(s => $"'{s.Encoding}' is not auto, utf-8, utf-8-bom, gbk or gb18030");
                RuleFor(s => s.Delimiter).Must(d => d is ',' or ';' or '|' or '\t').When(s => s.Format == "csv").OverridePropertyName("source.delimiter")
                    .WithMessage("is one of , ; | or \\t");
                RuleFor(s => s.Quote).Must(q => q is '"' or '\'').When(s => s.Format == "csv").OverridePropertyName("source.quote").WithMessage("is \" or '");
                RuleFor(s => s.Header).Equal(true).When(s => s.Format == "csv").OverridePropertyName("source.header")
                    .WithMessage("must be true: fields are mapped to catalog columns by their header names");
            });
            When(s => s.Kind == SourceKind.Postgres, () =>
            {
                RuleFor(s => s.Connection).NotEmpty().OverridePropertyName("source.connection").WithMessage("is required (a connection string or env:NAME)");
                RuleFor(s => s).Must(s => (s.Table is null) != (s.Query is null)).OverridePropertyName("source.table").WithMessage("a postgres source names either table or query");
                RuleFor(s => s.Table!).Matches("^[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?$").When(s => s.Table is not null).OverridePropertyName("source.table")
                    .WithMessage("is schema.table (identifiers)");
                RuleFor(s => s.Watermark!).Matches("^[A-Za-z_][A-Za-z0-9_]*$").When(s => s.Watermark is not null).OverridePropertyName("source.watermark").WithMessage("is a column name");
            });
            When(s => s.Kind == SourceKind.Http, () =>
            {
                RuleFor(s => s.Url).Must(u => Uri.TryCreate(u, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
                    .OverridePropertyName("source.url").WithMessage("is required: an absolute http(s) URL");
                RuleFor(s => s.PageSize).InclusiveBetween(1, 100_000).OverridePropertyName("source.page_size").WithMessage("is between 1 and 100000");
            });
        }
    }
}
