using System.Globalization;
using DataHub.Host.Platform;
using DataHub.Themes.Fusion;

namespace DataHub.Host.Cli;

/// <summary>The <c>theme</c> verbs: list and build the theme databases of <c>catalog/themes/</c>.</summary>
internal static class ThemeCommands
{
    public const string Help = """
        datahub theme list
        datahub theme build <name>|--all [--full]

        list    the themes of catalog/themes/: table, key, sources and fields, and the table's rows if built.
        build   fuses the sources into golden records (one per normalised key; each field from its sources by
                priority or recency, with its source and snapshot) and writes the table and its _conflicts table
                (values the sources disagree on). Address fields marked standard_address are geocoded against
                the standard address library (each distinct text once): code, match level, confidence and division
                codes per record. Incremental from the sources' change feeds since the last build;
                --full rebuilds everything (same result). Then runs the theme table's quality rules
                (catalog/rules/themes.yaml: keys, check digits, the sources' conflicts as consistency results).
                Prints what each source gave, records, conflicts, time and the quality run.
        """;

    public static async Task<int> RunAsync(DataHubPlatform platform, CommandLine options, TextWriter output, CancellationToken ct)
    {
        var themes = platform.Themes;
        switch (options.Positional)
        {
            case ["list"]:
                foreach (var theme in themes.Definitions)
                {
                    var rows = await platform.Tables.ExistsAsync(theme.Table, ct)
                        ? (await platform.Tables.ScanAsync(theme.Table, ct: ct)).RowCount.ToString("N0", CultureInfo.InvariantCulture) + " records"
                        : "not built";
                    await output.WriteLineAsync($"{theme.Name,-20} {theme.Table,-32} {rows}");
                    await output.WriteLineAsync($"  {theme.Title}; key {theme.KeyField} ({theme.KeyKind}); sources {string.Join(", ", theme.Sources.Select(s => $"{s.Id}={s.Dataset}"))}");
                    await output.WriteLineAsync($"  fields {string.Join(", ", theme.Fields.Select(f => $"{f.Name} ({f.Pick.ToString().ToLowerInvariant()}: {string.Join(">", f.Priority)})"))}");
                }

                if (themes.Definitions.Count == 0)
                {
                    await output.WriteLineAsync("No themes in catalog/themes/.");
                }

                return 0;
            case ["build", var name]:
                return await BuildAsync(platform, themes.Find(name) is { } one ? [one] : throw new ArgumentException(
                    $"There is no theme '{name}'; themes: {string.Join(", ", themes.Definitions.Select(t => t.Name))}."), options.Has("full"), output, ct);
            case ["build"] when options.Has("all"):
                return await BuildAsync(platform, themes.Definitions, options.Has("full"), output, ct);
            default:
                await output.WriteLineAsync(Help);
                return 2;
        }
    }

    private static async Task<int> BuildAsync(DataHubPlatform platform, IReadOnlyList<DataHub.Themes.Definitions.ThemeDefinition> themes, bool full, TextWriter output, CancellationToken ct)
    {
        foreach (var theme in themes)
        {
            await output.WriteLineAsync($"{theme.Name}: building {(full ? "in full" : "(incremental where possible)")} …");
            var result = await platform.Themes.BuildAsync(theme, "cli:" + Environment.UserName, full, ct);
            await WriteAsync(output, result);
        }

        return 0;
    }

    internal static Task WriteAsync(TextWriter output, ThemeBuildResult result) => output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"""
        {result.Theme}: {result.Mode} build of {result.Table} in {result.Duration.TotalSeconds:F2} s — {result.Records:N0} records ({result.Written:N0} written), {result.Conflicts:N0} conflicts, snapshot {result.SnapshotId}
        {string.Join("\n", result.Sources.Select(s => $"  {s.Id,-14} {s.Dataset,-36} {(s.SnapshotId is null ? "no data yet" : $"snapshot {s.SnapshotId}: {s.Rows:N0} keys read, {s.InvalidKeys:N0} invalid (left out){(s.OldNumbers > 0 ? $", {s.OldNumbers:N0} old taxpayer numbers resolved" : string.Empty)}")}"))}{(result.LibrarySnapshotId is { } library ? $"\n  standard addresses (snapshot {library}): {result.AddressesGeocoded:N0} address texts geocoded, {result.AddressesMatched:N0} matched to one standard address" : string.Empty)}{(result.Quality is { } q ? $"\n  quality run {q.RunId}: overall {q.Scores.GetValueOrDefault("overall"):F2}; " + string.Join("; ", q.Rules.Where(r => r.Outcome != "pass").Select(r => $"{r.RuleId} {r.Failed:N0}/{r.Checked:N0}")) : string.Empty)}
        """));
}
