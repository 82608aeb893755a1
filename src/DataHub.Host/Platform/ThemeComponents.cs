using DataHub.Catalog;
using DataHub.Themes.Definitions;
using DataHub.Themes.Fusion;

namespace DataHub.Host.Platform;

/// <summary>The theme databases over a started platform: the definitions of <c>catalog/themes/</c> and their builder.</summary>
public sealed class ThemeComponents
{
    private readonly DataHubPlatform _platform;

    internal ThemeComponents(DataHubPlatform platform)
    {
        _platform = platform;
        Definitions = ThemeDefinitionLoader.LoadDirectory(Path.Combine(platform.Settings.Root, "catalog", "themes"), platform.Definitions);
        Builder = new ThemeBuilder(platform.Tables, Path.Combine(platform.Settings.Home, "themes"));
    }

    /// <summary>The themes, in file order.</summary>
    public IReadOnlyList<ThemeDefinition> Definitions { get; }

    /// <summary>Builds them (incrementally where it can).</summary>
    public ThemeBuilder Builder { get; }

    /// <summary>The theme tables described as datasets, for the quality rules (<see cref="ThemeQuality.Describe"/>).</summary>
    public IReadOnlyList<DatasetDefinition> Datasets => Definitions.Select(t => ThemeQuality.Describe(t, _platform.Definitions)).ToList();

    /// <summary>A theme by name, or null.</summary>
    /// <param name="name">Such as <c>population_person</c>.</param>
    public ThemeDefinition? Find(string name) => Definitions.FirstOrDefault(t => t.Name == name);

    /// <summary>
    /// Builds a theme and then runs the quality rules of its table, so the conflicts between its sources are stored
    /// as consistency results (多源比对) of the theme dataset and reach the monthly bulletin.
    /// </summary>
    /// <param name="theme">The theme.</param>
    /// <param name="author">Who builds.</param>
    /// <param name="full">Rebuild everything.</param>
    /// <param name="ct">Cancels.</param>
    public async Task<ThemeBuildResult> BuildAsync(ThemeDefinition theme, string author, bool full, CancellationToken ct)
    {
        var result = await Builder.BuildAsync(theme, author, full, ct);
        var quality = await ThemeQuality.RunAsync(QualityServiceFactory.Create(_platform), theme, _platform.Definitions, ct);
        return result with { Quality = quality };
    }
}
