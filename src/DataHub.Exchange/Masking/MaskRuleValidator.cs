using FluentValidation;

namespace DataHub.Exchange.Masking;

/// <summary>What one mask of <c>catalog/masks.yaml</c> must hold; property names are the YAML keys.</summary>
internal sealed class MaskRuleValidator : AbstractValidator<MaskRuleDraft>
{
    /// <summary>The mask kinds by their YAML name.</summary>
    public static readonly IReadOnlyDictionary<string, MaskKind> Kinds = new Dictionary<string, MaskKind>(StringComparer.Ordinal)
    {
        ["plain"] = MaskKind.Plain, ["keep"] = MaskKind.Keep, ["address"] = MaskKind.Address, ["hash"] = MaskKind.Hash, ["redact"] = MaskKind.Redact,
    };

    /// <summary>The most characters a keep mask may keep at one end.</summary>
    public const int MaxKept = 32;

    public MaskRuleValidator()
    {
        RuleFor(r => r.Kind).Must(k => k is not null && Kinds.ContainsKey(k)).OverridePropertyName("mask")
            .WithMessage(r => $"'{r.Kind}' is not one of {string.Join(", ", Kinds.Keys)}");
        RuleFor(r => r.First).InclusiveBetween(0, MaxKept).When(r => r.First is not null).OverridePropertyName("first")
            .WithMessage($"keep between 0 and {MaxKept} characters");
        RuleFor(r => r.Last).InclusiveBetween(0, MaxKept).When(r => r.Last is not null).OverridePropertyName("last")
            .WithMessage($"keep between 0 and {MaxKept} characters");
        RuleFor(r => r).Must(r => (r.First ?? 0) + (r.Last ?? 0) > 0).When(r => r.Kind == "keep")
            .OverridePropertyName("first").WithMessage("a keep mask keeps at least one character (first, last or both); use redact to hide everything");
        RuleFor(r => r.First).Null().When(r => r.Kind != "keep").OverridePropertyName("first").WithMessage(r => $"first belongs to keep masks, not {r.Kind}");
        RuleFor(r => r.Last).Null().When(r => r.Kind != "keep").OverridePropertyName("last").WithMessage(r => $"last belongs to keep masks, not {r.Kind}");
        RuleFor(r => r.Cut).Must(c => c is null or "township" or "county").When(r => r.Kind == "address").OverridePropertyName("cut")
            .WithMessage(r => $"'{r.Cut}' is not township or county");
        RuleFor(r => r.Cut).Null().When(r => r.Kind != "address").OverridePropertyName("cut").WithMessage(r => $"cut belongs to address masks, not {r.Kind}");
    }
}
