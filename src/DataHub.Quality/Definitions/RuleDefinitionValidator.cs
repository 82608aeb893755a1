using System.Globalization;
using DataHub.Quality.Rules;
using FluentValidation;

namespace DataHub.Quality.Definitions;

/// <summary>What a declared rule must hold, per kind.</summary>
public sealed class RuleDefinitionValidator : AbstractValidator<RuleDefinition>
{
    /// <summary>Creates the rules.</summary>
    public RuleDefinitionValidator()
    {
        RuleFor(r => r.Id).NotEmpty().Matches("^[a-z0-9_][a-z0-9_.\\-]{0,99}$")
            .WithMessage("an id of lower-case letters, digits, '_', '.' or '-' is required");
        RuleFor(r => r.Target).Must(t => new[] { t.Attribute, t.Element, t.Dataset }.Count(v => v is not null) == 1)
            .WithMessage("attach the rule to exactly one of attribute, element or dataset");
        RuleFor(r => r.Target.Column).Null().When(r => r.Target.Dataset is null)
            .WithMessage("column belongs with dataset; an attribute or element rule checks every column mapped to it");
        RuleFor(r => r.Target.Dataset).NotNull().When(r => r.Kind is RuleKind.Expression or RuleKind.Unique or RuleKind.ForeignKey or RuleKind.RowCount or RuleKind.Freshness or RuleKind.Schema)
            .WithMessage(r => $"a {r.Kind} rule is attached to a dataset");
        RuleFor(r => r.Columns).NotEmpty().When(r => r.Kind == RuleKind.Unique)
            .WithMessage("a unique rule lists its key columns");
        RuleFor(r => r.Target.Column).NotEmpty().When(r => r.Target.Dataset is not null && r.Kind is not (RuleKind.Expression or RuleKind.Unique or RuleKind.RowCount or RuleKind.Freshness or RuleKind.Schema))
            .WithMessage(r => $"a {r.Kind} rule on a dataset names its column");
        RuleFor(r => r.Parameters.Codes).NotEmpty().When(r => r.Kind == RuleKind.InCodeSet && r.Target.Element is null)
            .WithMessage("an in_code_set rule lists its codes (or is attached to an element whose code set gives them)");
        RuleFor(r => r.Parameters.Pattern).NotEmpty().When(r => r.Kind == RuleKind.Format)
            .WithMessage("a format rule needs a pattern or a named_format");
        RuleFor(r => r.Parameters.Pattern!).Must(BeARegex).When(r => r.Kind == RuleKind.Format && !string.IsNullOrEmpty(r.Parameters.Pattern))
            .WithMessage(r => $"'{r.Parameters.Pattern}' is not a valid regular expression");
        RuleFor(r => r.Parameters).Must(p => p.Min is not null || p.Max is not null || p.MaxChangePercent is not null).When(r => r.Kind is RuleKind.RowCount)
            .OverridePropertyName("min").WithMessage("a row_count rule needs min, max or max_change_percent");
        RuleFor(r => r.Parameters).Must(p => p.Min is not null || p.Max is not null).When(r => r.Kind is RuleKind.Length or RuleKind.Range)
            .OverridePropertyName("min").WithMessage(r => $"a {r.Kind} rule needs min, max or both");
        RuleFor(r => r.Parameters.Min!).Must(BeAWholeNumber).When(r => r.Kind == RuleKind.Length && r.Parameters.Min is not null)
            .WithMessage("a length bound is a whole number");
        RuleFor(r => r.Parameters.Max!).Must(BeAWholeNumber).When(r => r.Kind == RuleKind.Length && r.Parameters.Max is not null)
            .WithMessage("a length bound is a whole number");
        RuleFor(r => r.Parameters.Algorithm).Must(a => a is "gb11643" or "gb32100").When(r => r.Kind == RuleKind.CheckDigit)
            .WithMessage(r => $"'{r.Parameters.Algorithm}' is not gb11643 (citizen ID) or gb32100 (credit code)");
        RuleFor(r => r.Parameters.Condition).NotEmpty().When(r => r.Kind == RuleKind.Expression)
            .WithMessage("an expression rule needs a condition");
        RuleFor(r => r.Parameters.ReferenceSql).NotEmpty().Matches("^[a-z_][a-z0-9_]*\\.[a-z_][a-z0-9_]*\\.[a-z_][a-z0-9_]*$").When(r => r.Kind == RuleKind.ForeignKey)
            .WithMessage("a foreign_key rule names the referenced column as schema.table.column");
    }

    private static bool BeARegex(string pattern)
    {
        try
        {
            _ = new System.Text.RegularExpressions.Regex(pattern, System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromSeconds(1));
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static bool BeAWholeNumber(string value) => long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _);
}
