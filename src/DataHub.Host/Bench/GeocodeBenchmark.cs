using System.Diagnostics;
using System.Globalization;
using DataHub.Host.Samples;
using DataHub.Themes.Spatial;

namespace DataHub.Host.Bench;

/// <summary>
/// <c>datahub bench geocode</c>: a standard address library of <c>--addresses</c> rows made by the sample generator
/// (real Hefei divisions, the address shape of samples/address), and <c>--queries</c> labelled free-text variants of
/// them (<see cref="AddressVariants"/>: no province, colloquial names, full-width digits, 号楼/幢/#, 3-2-501, a
/// utility's short form, spaces, planted conflicts and missing door numbers, each with its known answer). Prints the
/// library's load and index times, geocoding throughput on one core and on all of them (goal: at least 5,000
/// addresses a second), the match rate per variant, how many answers carried a wrong code and how many misses fit several addresses
/// equally (the generated library holds distinct codes with identical parts), and with <c>--show-misses</c> the first misses.
/// </summary>
public static class GeocodeBenchmark
{
    /// <summary>Runs the benchmark in a scratch folder (deleted afterwards).</summary>
    public static async Task<int> RunAsync(int addresses, int queries, int runs, int showMisses, TextWriter output, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(output);
        var folder = Directory.CreateTempSubdirectory("datahub-bench-geocode-").FullName;
        try
        {
            var started = Stopwatch.GetTimestamp();
            var report = await Task.Run(() => SampleGenerator.Generate(SampleKind.Address, addresses, folder, SampleEncoding.Utf8, 20261001, null, ct), ct);
            var generated = Stopwatch.GetElapsedTime(started);
            started = Stopwatch.GetTimestamp();
            var (rows, rejected) = StandardAddressCsv.Read(report.Path);
            var read = Stopwatch.GetElapsedTime(started);
            started = Stopwatch.GetTimestamp();
            var geocoder = new Geocoder(new StandardAddressLibrary(rows));
            var indexed = Stopwatch.GetElapsedTime(started);
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"geocode: library of {geocoder.Library.Addresses.Count:N0} standard addresses ({addresses:N0} generated in {generated.TotalSeconds:F1} s, {rejected.Count:N0} dirty rows left out), read in {read.TotalSeconds:F2} s, indexed in {indexed.TotalSeconds:F2} s"));

            // Queries drawn evenly over the library, each a labelled variant.
            var step = Math.Max(1, geocoder.Library.Addresses.Count / (double)queries);
            var picked = Enumerable.Range(0, queries).Select(i => geocoder.Library.Addresses[(int)(i * step) % geocoder.Library.Addresses.Count]);
            var labelled = AddressVariants.For(picked, 20261001).ToArray();
            var results = new GeocodeResult[labelled.Length];

            var single = new List<double>();
            var parallel = new List<double>();
            for (var run = 0; run < runs; run++)
            {
                ct.ThrowIfCancellationRequested();
                started = Stopwatch.GetTimestamp();
                for (var i = 0; i < labelled.Length; i++)
                {
                    results[i] = geocoder.Geocode(labelled[i].Text);
                }

                single.Add(labelled.Length / Stopwatch.GetElapsedTime(started).TotalSeconds);
                started = Stopwatch.GetTimestamp();
                Parallel.For(0, labelled.Length, new ParallelOptions { CancellationToken = ct }, i => results[i] = geocoder.Geocode(labelled[i].Text));
                parallel.Add(labelled.Length / Stopwatch.GetElapsedTime(started).TotalSeconds);
            }

            var right = 0;
            var wrong = 0;
            var ambiguous = 0;
            var misses = new List<string>();
            var byVariant = new SortedDictionary<string, (int Right, int All)>(StringComparer.Ordinal);
            for (var i = 0; i < labelled.Length; i++)
            {
                var ok = labelled[i].IsAnsweredBy(results[i]);
                right += ok ? 1 : 0;
                wrong += results[i].Code is { } code && code != labelled[i].ExpectedCode ? 1 : 0;
                if (!ok && results[i].Candidates > 1)
                {
                    ambiguous++;
                }

                if (!ok && misses.Count < showMisses)
                {
                    misses.Add($"  miss {labelled[i].Variant}: {labelled[i].Text} → {results[i].Level}, {results[i].Candidates} candidate(s), code {results[i].Code ?? "none"} (want {labelled[i].ExpectedCode ?? "none"}); {string.Join(" | ", results[i].Issues.Select(x => x.Message))}");
                }

                var v = byVariant.GetValueOrDefault(labelled[i].Variant);
                byVariant[labelled[i].Variant] = (v.Right + (ok ? 1 : 0), v.All + 1);
            }

            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"""
                geocode: {labelled.Length:N0} labelled addresses, median of {runs} run(s)
                  one core        {Median(single),10:N0} addresses/s
                  {Environment.ProcessorCount} cores         {Median(parallel),10:N0} addresses/s   (goal ≥ 5,000/s)
                  match rate      {100.0 * right / labelled.Length,9:F1} %   ({right:N0} answered right; {wrong:N0} given a wrong code; of the rest {ambiguous:N0} fit several standard addresses equally)
                  per variant     {string.Join(", ", byVariant.Select(v => $"{v.Key} {100.0 * v.Value.Right / v.Value.All:F1} %"))}
                  peak memory     {BenchSupport.PeakRss() / 1048576.0,9:N0} MiB
                """));
            foreach (var miss in misses)
            {
                await output.WriteLineAsync(miss);
            }

            return 0;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }
}
