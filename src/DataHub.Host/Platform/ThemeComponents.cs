using DataHub.Themes.Definitions;
using DataHub.Themes.Fusion;

namespace DataHub.Host.Platform;

/// <summary>The theme databases over a started platform: the definitions of <c>catalog/themes/</c> and their builder.</summary>
public sealed class ThemeComponents
{
    internal ThemeComponents(DataHubPlatform platform)
    {
        Definitions = ThemeDefinitionLoader.LoadDirectory(Path.Combine(platform.Settings.Root, "catalog", "themes"), platform.Definitions);
        Builder = new ThemeBuilder(platform.Tables, Path.Combine(platform.Settings.Home, "themes"));
    }

    /// <summary>The themes, in file order.</summary>
    public IReadOnlyList<ThemeDefinition> Definitions { get; }

    /// <summary>Builds them (incrementally where it can).</summary>
    public ThemeBuilder Builder { get; }

    /// <summary>A theme by name, or null.</summary>
    /// <param name="name">Such as <c>population_person</c>.</param>
    public ThemeDefinition? Find(string name) => Definitions.FirstOrDefault(t => t.Name == name);
}
