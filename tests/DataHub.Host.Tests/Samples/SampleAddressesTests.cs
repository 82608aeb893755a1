using DataHub.Host.Platform;
using DataHub.Host.Samples;
using DataHub.Themes.Spatial;

namespace DataHub.Host.Tests.Samples;

/// <summary>
/// The theme sources' people and enterprises live at the standard addresses of <c>samples/address</c>: each source
/// writes them its own way (in full, without the province, colloquially, in full-width digits, 幢/号楼, dashed, the
/// water company's short form), the geocoder resolves every one of those to the standard address it was written
/// from, and the few written without room or door number, or at a place the library does not list, resolve to none.
/// </summary>
public sealed class SampleAddressesTests
{
    private static readonly string Library = Path.Combine(DataHubSettings.FindRoot(), "samples", "address", "standard_address_2026-09.csv");

    [Fact]
    public void The_places_are_clean_valid_rows_of_the_sample_library_and_the_files_write_them_as_the_generator_says()
    {
        var library = StandardAddressCsv.Read(Library).Addresses.DistinctBy(a => a.Code).ToDictionary(a => a.Code, StringComparer.Ordinal);
        var listed = SampleAddresses.Of(SampleAddressTruth.Seed).Listed;
        Assert.InRange(listed.Count, 340, SampleAddresses.LibraryRows - 20); // 400 rows less the 24 dirty ones, less those not 有效
        foreach (var place in listed)
        {
            var standard = library[place.StandardCode!];
            Assert.Equal("有效", standard.Status);
            var row = new SampleRow(1);
            row.Begin();
            SampleAddresses.Write(row, place, SampleAddressStyle.Full);
            row.End();
            Assert.Equal(standard.FullAddress, row[0].ToString());
        }

        foreach (var record in SampleAddressTruth.Records)
        {
            var row = new SampleRow(1);
            row.Begin();
            SampleAddresses.Write(row, record.Place, record.Style);
            row.End();
            Assert.Equal(row[0].ToString(), record.Text);
            if (record.Place.StandardCode is null)
            {
                Assert.False(SampleAddresses.Of(SampleAddressTruth.Seed).HasStreet(record.Place), record.Text); // not even its road and door number
            }
        }

        // Households share their address; the registered population's households are spread over the library.
        var households = SampleAddressTruth.Records.Where(r => r.Dataset == "population.household_registration").Select(r => r.Index / 3).Distinct().Count();
        var codes = SampleAddressTruth.Records.Where(r => r.Dataset == "population.household_registration").Select(r => r.Place.StandardCode).OfType<string>().Distinct().Count();
        Assert.InRange(codes, households * 3 / 4, households);
    }

    [Fact]
    public void Every_address_written_from_a_standard_address_resolves_to_it_and_only_the_deliberately_incomplete_or_unlisted_ones_do_not()
    {
        var geocoder = new Geocoder(StandardAddressLibrary.FromCsv(Library));
        var failures = new List<string>();
        foreach (var record in SampleAddressTruth.Records)
        {
            var result = geocoder.Geocode(record.Text);
            if (result.Code != record.Code)
            {
                failures.Add($"{record.Dataset}[{record.Index}] {record.Style} '{record.Text}': {result.Code ?? "no code"} ({result.Level}), expected {record.Code ?? "no code"}");
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {SampleAddressTruth.Records.Count}:\n{string.Join('\n', failures)}");

        // Each source writes in several styles; a few percent of its addresses do not resolve, on purpose.
        foreach (var source in SampleAddressTruth.Records.GroupBy(r => r.Dataset))
        {
            var unresolvable = source.Count(r => r.Code is null);
            Assert.InRange(unresolvable, source.Count() / 100, source.Count() / 10);
            Assert.Contains(source, r => r.Code is null && r.Place.StandardCode is null);  // a place the library does not list
            Assert.True(source.Select(r => r.Style).Distinct().Count() >= 3, source.Key);
        }

        Assert.Contains(SampleAddressTruth.Records, r => r.Style == SampleAddressStyle.NoRoom);
        Assert.Contains(SampleAddressTruth.Records, r => r.Style == SampleAddressStyle.NoDoor);
        Assert.Equal(Enum.GetValues<SampleAddressStyle>().Order(), SampleAddressTruth.Records.Select(r => r.Style).Distinct().Order());
    }
}
