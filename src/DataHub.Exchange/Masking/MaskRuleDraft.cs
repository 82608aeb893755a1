namespace DataHub.Exchange.Masking;

/// <summary>A mask as written, before it is checked.</summary>
/// <param name="Field">Where it sits, such as <c>levels.2.masks.phone</c>.</param>
/// <param name="Line">The line of the mask.</param>
/// <param name="Kind">The <c>mask</c> value.</param>
/// <param name="First">The <c>first</c> value, when a whole number.</param>
/// <param name="Last">The <c>last</c> value, when a whole number.</param>
/// <param name="Cut">The <c>cut</c> value.</param>
/// <param name="Lines">The line of each key given.</param>
internal sealed record MaskRuleDraft(
    string Field, long Line, string? Kind, int? First, int? Last, string? Cut, IReadOnlyDictionary<string, long> Lines);
