using System.Globalization;
using DataHub.Catalog;
using FluentValidation;

namespace DataHub.Exchange.Requests;

/// <summary>
/// Checks a request against its catalogued dataset: the columns exist, each filter names a column, uses an operator
/// its type allows and carries values of that type. Failures are named by field (<c>columns[1]</c>,
/// <c>filters[0].operator</c>, …).
/// </summary>
internal sealed class ExchangeRequestValidator : AbstractValidator<ExchangeRequestDraft>
{
    public ExchangeRequestValidator(DatasetDefinition dataset)
    {
        RuleFor(r => r.Columns).NotEmpty().OverridePropertyName("columns").WithMessage("name at least one column");
        RuleForEach(r => r.Columns)
            .Must(c => dataset.Columns.Any(d => d.Name == c)).OverridePropertyName("columns")
            .WithMessage((_, c) => $"{dataset.Name} has no column '{c}'");
        RuleFor(r => r.Columns).Must(c => c.Distinct(StringComparer.Ordinal).Count() == c.Count).OverridePropertyName("columns")
            .WithMessage("a column is named more than once");
        RuleFor(r => r.Purpose).NotEmpty().OverridePropertyName("purpose").WithMessage("state the purpose");
        RuleFor(r => r.LegalBasis).NotEmpty().OverridePropertyName("legal_basis").WithMessage("state the legal basis");
        RuleFor(r => r.Delivery).Must(d => d is "api" or "export" or "both" or "verify").OverridePropertyName("delivery")
            .WithMessage(r => $"'{r.Delivery}' is not api, export, both or verify");
        RuleFor(r => r.PeriodFrom).NotEqual(default(DateOnly)).OverridePropertyName("period_from").WithMessage("state the first day of use");
        RuleFor(r => r.PeriodUntil).NotEqual(default(DateOnly)).OverridePropertyName("period_until").WithMessage("state the last day of use");
        RuleFor(r => r.PeriodUntil).GreaterThanOrEqualTo(r => r.PeriodFrom).OverridePropertyName("period_until")
            .WithMessage("the period ends before it starts");
        RuleFor(r => r.Filters).Custom((filters, context) =>
        {
            for (var i = 0; i < filters.Count; i++)
            {
                var filter = filters[i];
                var at = string.Create(CultureInfo.InvariantCulture, $"filters[{i}]");
                var column = dataset.Columns.FirstOrDefault(c => c.Name == filter.Field);
                if (column is null)
                {
                    context.AddFailure($"{at}.field", $"{dataset.Name} has no column '{filter.Field}'");
                    continue;
                }

                var kind = RowFilterRules.KindOf(column.DataType);
                var allowed = RowFilterRules.OperatorsFor(kind);
                if (!allowed.Contains(filter.Operator))
                {
                    context.AddFailure($"{at}.operator", $"'{filter.Operator}' does not apply to {column.Name} ({column.DataType}); use {string.Join(", ", allowed)}");
                    continue;
                }

                var count = filter.Values?.Count ?? 0;
                if (RowFilterRules.CountProblem(filter.Operator, count) is { } wrongCount)
                {
                    context.AddFailure($"{at}.values", wrongCount);
                    continue;
                }

                for (var v = 0; v < count; v++)
                {
                    var value = filter.Values![v];
                    if (RowFilterRules.Parse(kind, value) is null)
                    {
                        context.AddFailure(string.Create(CultureInfo.InvariantCulture, $"{at}.values[{v}]"), $"'{value}' is not a {kind} value for {column.Name} ({column.DataType})");
                    }
                }
            }
        });
    }
}
