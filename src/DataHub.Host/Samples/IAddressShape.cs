namespace DataHub.Host.Samples;

/// <summary>
/// A theme source whose records carry an address (<see cref="SampleAddresses"/>): where each record's address is and
/// how the department wrote it, so that tests can tell which written addresses should link to which standard address.
/// </summary>
internal interface IAddressShape
{
    /// <summary>The header of the address column.</summary>
    string AddressHeader { get; }

    /// <summary>The place record <paramref name="index"/> of a file of <paramref name="rows"/> records writes, and how.</summary>
    (SamplePlace Place, SampleAddressStyle Style) Address(long index, long rows, ulong seed);
}
