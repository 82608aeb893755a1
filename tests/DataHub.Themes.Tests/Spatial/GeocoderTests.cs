using System.Globalization;
using DataHub.Themes.Spatial;
using Xunit.Abstractions;

namespace DataHub.Themes.Tests.Spatial;

public sealed class GeocoderTests(ITestOutputHelper output)
{
    private static Geocoder Geocoder => SpatialSamples.Geocoder;

    /// <summary>An urban (community) address of the sample with building, unit and room.</summary>
    private static StandardAddress Urban => SpatialSamples.Addresses.First(a => a.Room.Length > 0 && a.Status == "有效");

    /// <summary>A village address (村民小组 and door number only).</summary>
    private static StandardAddress Rural => SpatialSamples.Addresses.First(a => a.Room.Length == 0 && a.Status == "有效");

    [Fact]
    public void The_sample_file_reads_with_its_dirty_rows_rejected_by_line()
    {
        // 400 rows; the blank, '无', full-width and extra-field rows (4 of each) cannot be used, an impossible update date can.
        Assert.Equal(400, SpatialSamples.Addresses.Count + SpatialSamples.Rejected.Count);
        Assert.Equal(16, SpatialSamples.Rejected.Count);
        Assert.All(SpatialSamples.Rejected, r => Assert.Matches(@"standard_address_2026-09\.csv:\d+: ", r));
        Assert.All(SpatialSamples.Addresses, a => Assert.StartsWith(a.CommunityCode, a.Code, StringComparison.Ordinal));
    }

    [Fact]
    public void The_labelled_sample_resolves_with_a_high_match_rate()
    {
        var labelled = AddressVariants.For(SpatialSamples.Addresses, 20261001).ToList();
        var results = labelled.Select(l => (Label: l, Result: Geocoder.Geocode(l.Text))).ToList();
        var right = results.Count(r => r.Label.IsAnsweredBy(r.Result));
        var wrongCode = results.Count(r => r.Result.Code is not null && r.Result.Code != r.Label.ExpectedCode);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"labelled sample: {labelled.Count} addresses, {right} answered right ({100.0 * right / labelled.Count:F1} %), {wrongCode} given a wrong code"));
        foreach (var group in results.GroupBy(r => r.Label.Variant).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {group.Key,-20} {group.Count(r => r.Label.IsAnsweredBy(r.Result))}/{group.Count()}"));
        }

        foreach (var miss in results.Where(r => !r.Label.IsAnsweredBy(r.Result)).Take(15))
        {
            output.WriteLine($"  miss {miss.Label.Variant}: {miss.Label.Text} → {miss.Result.Level} {miss.Result.Code} (want {miss.Label.ExpectedCode}); {string.Join(" | ", miss.Result.Issues.Select(i => i.Message))}");
        }

        Assert.Equal(AddressVariants.Kinds.Count, results.Select(r => r.Label.Variant).Distinct().Count());
        Assert.True(right >= labelled.Count * 0.95, $"match rate {right}/{labelled.Count} is below 95 %");
        Assert.True(wrongCode <= labelled.Count * 0.01, $"{wrongCode} addresses got a wrong code");
    }
}
