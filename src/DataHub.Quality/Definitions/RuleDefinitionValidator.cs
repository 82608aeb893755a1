using System.Globalization;
using DataHub.Catalog;
using DataHub.Quality.Rules;
using FluentValidation;
using FluentValidation.Results;

namespace DataHub.Quality.Definitions;

/// <summary>
/// What a declared rule must hold, per kind. Problems with one key or compared field of a reconcile rule carry
/// that part's line as their <see cref="ValidationFailure.CustomState"/> and name it in
/// <see cref="ValidationFailure.PropertyName"/> (such as <c>compare.usage_m3</c>).
/// </summary>
public sealed partial class RuleDefinitionValidator : AbstractValidator<RuleDefinition>
{
    private readonly CatalogDefinitions? _catalog;

    /// <summary>Creates the rules.</summary>
    /// <param name="catalog">The catalog, to check that the datasets and columns a reconcile rule names exist; null to skip that.</param>
    public RuleDefinitionValidator(CatalogDefinitions? catalog = null)
    {
        _catalog = catalog;
        RuleFor(r => r.Id).NotEmpty().Matches("^[a-z0-9_][a-z0-9_.\\-]{0,99}$")
            .WithMessage("an id of lower-case letters, digits, '_', '.' or '-' is required");
        RuleFor(r => r.Target).Must(t => new[] { t.Attribute, t.Element, t.Dataset }.Count(v => v is not null) == 1)
            .WithMessage("attach the rule to exactly one of attribute, element or dataset");
        RuleFor(r => r.Target.Column).Null().When(r => r.Target.Dataset is null)
            .WithMessage("column belongs with dataset; an attribute or element rule checks every column mapped to it");
        RuleFor(r => r.Target.Dataset).NotNull().When(r => r.Kind is RuleKind.Expression or RuleKind.Unique or RuleKind.ForeignKey or RuleKind.RowCount or RuleKind.Freshness or RuleKind.Schema or RuleKind.Reconcile or RuleKind.SourceConflicts or RuleKind.AddressLink)
            .WithMessage(r => $"a {r.Kind} rule is attached to a dataset");
        RuleFor(r => r.Columns).NotEmpty().When(r => r.Kind == RuleKind.Unique)
            .WithMessage("a unique rule lists its key columns");
        RuleFor(r => r.Target.Column).NotEmpty().When(r => r.Target.Dataset is not null && r.Kind is not (RuleKind.Expression or RuleKind.Unique or RuleKind.RowCount or RuleKind.Freshness or RuleKind.Schema or RuleKind.Reconcile or RuleKind.SourceConflicts))
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
        RuleFor(r => r.Parameters.ReferenceSql).Must(w => w is not null && DatasetName().IsMatch(w)).When(r => r.Kind == RuleKind.SourceConflicts)
            .OverridePropertyName("with").WithMessage("a source_conflicts rule names the theme's conflicts table as with: schema.table");
        RuleFor(r => r.Parameters.ReferenceSql).Must(w => w is not null && DatasetName().IsMatch(w)).When(r => r.Kind == RuleKind.Reconcile)
            .OverridePropertyName("with").WithMessage("a reconcile rule names the other dataset as schema.table");
        RuleFor(r => r.Parameters.Reconcile!.On).NotEmpty().When(r => r.Kind == RuleKind.Reconcile && r.Parameters.Reconcile is not null)
            .OverridePropertyName("on").WithMessage("a reconcile rule names the key columns that pair its rows with the other dataset's");
        RuleFor(r => r.Parameters.Reconcile!.Compare).NotEmpty().When(r => r.Kind == RuleKind.Reconcile && r.Parameters.Reconcile is not null)
            .OverridePropertyName("compare").WithMessage("a reconcile rule lists the fields that must agree");
        RuleFor(r => r).Custom(CheckReconcile).When(r => r.Kind == RuleKind.Reconcile && r.Parameters.Reconcile is not null);
    }

    /// <summary>
    /// With the catalog, the parts of a reconcile rule: both datasets are catalogued, every key and field exists on
    /// both sides with the same kind of type, and tolerances apply to numbers only. (The loader has already refused
    /// tolerances that are not numbers ≥ 0, at their own line.)
    /// </summary>
    private void CheckReconcile(RuleDefinition rule, ValidationContext<RuleDefinition> context)
    {
        var settings = rule.Parameters.Reconcile!;
        void Fail(string field, long line, string message) => context.AddFailure(new ValidationFailure(field, message) { CustomState = line });
        if (_catalog is null)
        {
            return;
        }

        var here = rule.Target.Dataset is { } name && _catalog.TryGetDataset(name, out var h) ? h : null;
        var there = settings.With.Length > 0 && _catalog.TryGetDataset(settings.With, out var t) ? t : null;
        if (here is null && rule.Target.Dataset is not null)
        {
            context.AddFailure("dataset", $"'{rule.Target.Dataset}' is not a catalogued dataset (catalog/datasets)");
        }

        if (there is null && settings.With.Length > 0)
        {
            context.AddFailure("with", $"'{settings.With}' is not a catalogued dataset (catalog/datasets)");
        }

        if (here is null || there is null)
        {
            return;
        }

        // Returns the two types when both columns exist, after reporting any that does not.
        (string Here, string There)? Columns(string field, long line, string column, string other)
        {
            var a = here.Columns.FirstOrDefault(c => c.Name == column)?.DataType;
            var b = there.Columns.FirstOrDefault(c => c.Name == other)?.DataType;
            if (a is null)
            {
                Fail(field, line, $"{here.Name} has no column '{column}'");
            }

            if (b is null)
            {
                Fail(field, line, $"{there.Name} has no column '{other}'");
            }

            if (a is null || b is null)
            {
                return null;
            }

            if (TypeFamily(a) != TypeFamily(b))
            {
                Fail(field, line, $"{column} is {a} in {here.Name} but {other} is {b} in {there.Name}; compare like with like");
                return null;
            }

            return (a, b);
        }

        foreach (var key in settings.On)
        {
            Columns($"on.{key.Column}", key.Line, key.Column, key.OtherColumn);
        }

        foreach (var field in settings.Compare)
        {
            if (Columns($"compare.{field.Column}", field.Line, field.Column, field.OtherColumn) is { } types
                && (field.Tolerance is not null || field.TolerancePercent is not null) && TypeFamily(types.Here) != "number")
            {
                Fail($"compare.{field.Column}", field.Line, $"a tolerance applies to numbers, and {field.Column} is {types.Here}");
            }
        }
    }

    /// <summary>Types whose values compare with each other: number, text, timestamp, or the type itself (DATE, BOOLEAN …).</summary>
    private static string TypeFamily(string type)
    {
        var t = type.Replace(" ", string.Empty, StringComparison.Ordinal).ToUpperInvariant();
        var bare = t.Split('(')[0];
        return bare switch
        {
            "TINYINT" or "SMALLINT" or "INTEGER" or "INT" or "BIGINT" or "HUGEINT" or "UTINYINT" or "USMALLINT" or "UINTEGER" or "UBIGINT"
                or "FLOAT" or "REAL" or "DOUBLE" or "DECIMAL" or "NUMERIC" => "number",
            "VARCHAR" or "TEXT" or "STRING" => "text",
            "TIMESTAMP" or "TIMESTAMPTZ" or "DATETIME" => "timestamp",
            _ => bare,
        };
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

    [System.Text.RegularExpressions.GeneratedRegex("^[a-z_][a-z0-9_]*\\.[a-z_][a-z0-9_]*$")]
    private static partial System.Text.RegularExpressions.Regex DatasetName();
}
