using DataHub.Host.Platform;
using DataHub.Host.Samples;

namespace DataHub.Host.Tests.Samples;

/// <summary>
/// What the theme sources' addresses in <c>samples/</c> should link to: for every record of the five sources that write
/// an address (household registration, market register, social insurance, tax, water accounts), its address as the
/// file has it, the standard address it was written from (<see cref="IAddressShape"/>) and the code it should link to
/// — null where it was written not to resolve (a room or door number left out, or a place the library does not list).
/// </summary>
internal static class SampleAddressTruth
{
    /// <summary>The seed of the committed samples (samples/README.md).</summary>
    public const ulong Seed = 20261001;

    private static readonly string Samples = Path.Combine(DataHubSettings.FindRoot(), "samples");

    /// <summary>The sources with an address column: kind, dataset and file under samples/.</summary>
    public static readonly (SampleKind Kind, string Dataset, string File)[] Sources =
    [
        (SampleKind.Population, "population.household_registration", "population/household_registration_2026-09-30.csv"),
        (SampleKind.Market, "market.business_registration", "market/business_registration_2026-10.ndjson"),
        (SampleKind.Insurance, "hrss.insurance_enrollment", "hrss/insurance_enrollment_2026-09.csv"),
        (SampleKind.Tax, "tax.taxpayer_registration", "tax/taxpayer_registration_2026-09.csv"),
        (SampleKind.WaterAccount, "water.account_holder", "water_account/account_holders_2026-09.csv"),
    ];

    private static readonly Lazy<IReadOnlyList<Written>> All = new(Load);

    /// <summary>Every record's address except a duplicate's (it repeats the record before) and a '无' (the dirt in the address column).</summary>
    public static IReadOnlyList<Written> Records => All.Value;

    /// <summary>The code each written text should link to, over all sources (null: deliberately unresolvable).</summary>
    public static IReadOnlyDictionary<string, string?> CodeOf(IEnumerable<Written> records) =>
        records.GroupBy(r => r.Text, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Select(r => r.Code).Distinct().Single(), StringComparer.Ordinal);

    private static List<Written> Load()
    {
        var written = new List<Written>();
        foreach (var (kind, dataset, file) in Sources)
        {
            var shape = SampleGenerator.Shape(kind);
            var addressed = (IAddressShape)shape;
            var records = SourceFile.Read(Path.Combine(Samples, file)).Records;
            for (var i = 0; i < records.Count; i++)
            {
                var text = records[i][addressed.AddressHeader];
                if (SampleGenerator.DirtAt(shape, Seed, i) == SampleDirt.Duplicate || text == "无")
                {
                    continue;
                }

                var (place, style) = addressed.Address(i, records.Count, Seed);
                written.Add(new Written(dataset, i, text, place, style, SampleAddresses.Resolves(place, style)));
            }
        }

        return written;
    }

    /// <summary>One record's address.</summary>
    internal sealed record Written(string Dataset, long Index, string Text, SamplePlace Place, SampleAddressStyle Style, string? Code);
}
