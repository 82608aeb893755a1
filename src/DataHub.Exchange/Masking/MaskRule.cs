namespace DataHub.Exchange.Masking;

/// <summary>One mask with its parameters, from <c>catalog/masks.yaml</c>.</summary>
/// <param name="Kind">The kind of mask.</param>
/// <param name="First">For <see cref="MaskKind.Keep"/>: characters kept at the start.</param>
/// <param name="Last">For <see cref="MaskKind.Keep"/>: characters kept at the end.</param>
/// <param name="Cut">For <see cref="MaskKind.Address"/>: the lowest level kept.</param>
/// <param name="Source">Where it is declared, <c>file:line</c>.</param>
public sealed record MaskRule(MaskKind Kind, int First = 0, int Last = 0, AddressCut Cut = AddressCut.Township, string Source = "")
{
    /// <summary>Plain values.</summary>
    public static MaskRule Plain { get; } = new(MaskKind.Plain);
}
