using DataHub.Themes.Spatial;

namespace DataHub.Themes.Tests.Spatial;

/// <summary>The real sample standard addresses (samples/address), read once for all spatial tests.</summary>
internal static class SpatialSamples
{
    public static string Root { get; } = FindRoot();

    private static readonly Lazy<(IReadOnlyList<StandardAddress> Addresses, IReadOnlyList<string> Rejected)> File =
        new(() => StandardAddressCsv.Read(System.IO.Path.Combine(Root, "samples", "address", "standard_address_2026-09.csv")));

    private static readonly Lazy<Geocoder> Shared = new(() => new Geocoder(new StandardAddressLibrary(Addresses)));

    public static IReadOnlyList<StandardAddress> Addresses => File.Value.Addresses;

    public static IReadOnlyList<string> Rejected => File.Value.Rejected;

    public static Geocoder Geocoder => Shared.Value;

    private static string FindRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (Directory.Exists(System.IO.Path.Combine(folder.FullName, "samples")) && Directory.Exists(System.IO.Path.Combine(folder.FullName, "catalog")))
            {
                return folder.FullName;
            }
        }

        throw new DirectoryNotFoundException("The repository root (with samples/ and catalog/) is not above " + AppContext.BaseDirectory);
    }
}
