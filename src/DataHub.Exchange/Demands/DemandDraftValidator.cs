using FluentValidation;

namespace DataHub.Exchange.Demands;

/// <summary>
/// Checks a posted demand. Failures are named by field as the HTTP body names them (<c>title</c>,
/// <c>wantedFields[1]</c>, <c>legalBasis</c>, …).
/// </summary>
internal sealed class DemandDraftValidator : AbstractValidator<DemandDraft>
{
    /// <summary>The longest title.</summary>
    public const int MaxTitle = 200;

    /// <summary>The longest description, purpose or legal basis.</summary>
    public const int MaxText = 4000;

    /// <summary>The most fields one demand may list.</summary>
    public const int MaxFields = 100;

    /// <summary>The longest field name.</summary>
    public const int MaxFieldName = 200;

    public DemandDraftValidator()
    {
        RuleFor(d => d.Title).Must(t => !string.IsNullOrWhiteSpace(t)).OverridePropertyName("title").WithMessage("give the need a title")
            .Must(t => (t ?? string.Empty).Trim().Length <= MaxTitle).OverridePropertyName("title").WithMessage($"at most {MaxTitle} characters");
        RuleFor(d => d.Description).Must(t => !string.IsNullOrWhiteSpace(t)).OverridePropertyName("description").WithMessage("describe the data needed")
            .Must(t => (t ?? string.Empty).Trim().Length <= MaxText).OverridePropertyName("description").WithMessage($"at most {MaxText} characters");
        RuleFor(d => d.Purpose).Must(t => !string.IsNullOrWhiteSpace(t)).OverridePropertyName("purpose").WithMessage("state the purpose")
            .Must(t => (t ?? string.Empty).Trim().Length <= MaxText).OverridePropertyName("purpose").WithMessage($"at most {MaxText} characters");
        RuleFor(d => d.LegalBasis).Must(t => !string.IsNullOrWhiteSpace(t)).OverridePropertyName("legalBasis").WithMessage("state the legal basis")
            .Must(t => (t ?? string.Empty).Trim().Length <= MaxText).OverridePropertyName("legalBasis").WithMessage($"at most {MaxText} characters");
        RuleFor(d => d.WantedFields).Custom((fields, context) =>
        {
            if (fields is null || fields.Count == 0)
            {
                context.AddFailure("wantedFields", "name at least one field wanted");
                return;
            }

            if (fields.Count > MaxFields)
            {
                context.AddFailure("wantedFields", $"at most {MaxFields} fields, not {fields.Count}");
                return;
            }

            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            for (var i = 0; i < fields.Count; i++)
            {
                var at = $"wantedFields[{i}]";
                var name = fields[i]?.Trim();
                if (string.IsNullOrEmpty(name))
                {
                    context.AddFailure(at, "a field name is blank");
                }
                else if (name.Length > MaxFieldName)
                {
                    context.AddFailure(at, $"at most {MaxFieldName} characters");
                }
                else if (!seen.Add(name))
                {
                    context.AddFailure(at, $"'{name}' is named more than once");
                }
            }
        });
    }
}
