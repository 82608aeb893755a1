namespace DataHub.Themes.Spatial;

/// <summary>A free-text address with the answer a geocoder should give.</summary>
/// <param name="Text">The free text.</param>
/// <param name="Variant">How it was made from its standard address (see <see cref="AddressVariants.Kinds"/>).</param>
/// <param name="ExpectedCode">The standard address it names; null where a part is deliberately left out, so no code is right.</param>
/// <param name="ExpectConflict">Whether a part was deliberately made to contradict the others.</param>
/// <param name="ExpectMissing">The part deliberately left out, if any.</param>
public sealed record LabelledAddress(string Text, string Variant, string? ExpectedCode, bool ExpectConflict, AddressPart? ExpectMissing)
{
    /// <summary>Whether a geocoding answer is the right one: the expected code (and a conflict where one was planted), or no code and the missing part flagged.</summary>
    /// <param name="result">The geocoder's answer for <see cref="Text"/>.</param>
    public bool IsAnsweredBy(GeocodeResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (ExpectedCode is null)
        {
            return result.Code is null && result.Issues.Any(i => i.Kind == AddressIssueKind.Missing && i.Part == ExpectMissing);
        }

        return result.Code == ExpectedCode && result.HasConflict == ExpectConflict;
    }
}
