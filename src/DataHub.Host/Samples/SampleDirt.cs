namespace DataHub.Host.Samples;

/// <summary>
/// The kinds of dirt real departmental files carry. The generator puts each kind that applies to a shape into
/// exactly one row of every block of <see cref="SampleGenerator.BlockRows"/> rows, at a position drawn from the seed.
/// </summary>
internal enum SampleDirt
{
    /// <summary>A required field left empty.</summary>
    Blank,

    /// <summary>'无' ("none") typed into a required or numeric field.</summary>
    None,

    /// <summary>Full-width digits (０-９) in a number or an identifier, as Chinese input methods type them.</summary>
    FullWidth,

    /// <summary>The previous record sent again, byte for byte.</summary>
    Duplicate,

    /// <summary>A date that does not exist, such as 2026-02-30.</summary>
    ImpossibleDate,

    /// <summary>A negative reading, usage, fare or capital.</summary>
    Negative,

    /// <summary>An identifier whose check character is wrong (GB 11643 citizen ID, GB 32100 credit code).</summary>
    BadCheckDigit,

    /// <summary>A CSV record with one field more than the header (an export tool's trailing column).</summary>
    ExtraField,
}
