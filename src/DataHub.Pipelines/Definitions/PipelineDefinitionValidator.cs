using FluentValidation;
using Quartz;

namespace DataHub.Pipelines.Definitions;

/// <summary>The rules a pipeline definition must meet before it is scheduled.</summary>
public sealed class PipelineDefinitionValidator : AbstractValidator<PipelineDefinition>
{
    private static readonly string[] Encodings = ["auto", "utf-8", "utf-8-bom", "gbk", "gb18030"];
    private static readonly string[] Formats = ["csv", "json", "ndjson"];

    /// <summary>Creates the rules.</summary>
    public PipelineDefinitionValidator()
    {
        RuleFor(p => p.Name).NotEmpty().Matches("^[a-z][a-z0-9_]{0,62}$")
            .WithMessage("name must be a lower-case identifier (letters, digits, '_').");
        RuleFor(p => p.Department).NotEmpty();
        RuleFor(p => p.Target).NotEmpty().Matches("^[a-z_][a-z0-9_]*\\.[a-z_][a-z0-9_]*$")
            .WithMessage("target must be a catalog table name such as water.meter_reading_daily.");
        RuleForEach(p => p.Key).Matches("^[a-z_][a-z0-9_]*$").WithName("key").WithMessage("key lists column names (lower-case identifiers).");
        RuleFor(p => p.Schedule!).Must(s => CronExpression.TryParse(s, out _)).When(p => p.Schedule is not null)
            .WithMessage(p => $"schedule '{p.Schedule}' is not a valid Quartz cron expression (seconds minutes hours day-of-month month day-of-week).");
        RuleFor(p => p.Source.Path).NotEmpty().WithName("source.path");
        RuleFor(p => p.Source.Pattern).NotEmpty().Must(p => !p.Contains('/', StringComparison.Ordinal) && !p.Contains("..", StringComparison.Ordinal))
            .WithName("source.pattern").WithMessage("source.pattern is a file name pattern; it cannot contain '/' or '..'.");
        RuleFor(p => p.Source.Format).Must(f => Formats.Contains(f)).WithName("source.format")
            .WithMessage("source.format must be csv, json or ndjson.");
        RuleFor(p => p.Source.Encoding).Must(e => Encodings.Contains(e)).WithName("source.encoding")
            .WithMessage("source.encoding must be auto, utf-8, utf-8-bom, gbk or gb18030.");
        RuleFor(p => p.Source.Delimiter).Must(d => d is ',' or ';' or '|' or '\t').WithName("source.delimiter")
            .WithMessage("source.delimiter must be one of , ; | or a tab.");
    }
}
