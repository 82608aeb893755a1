using DataHub.Quality.Definitions;
using DataHub.Quality.Service;

namespace DataHub.Host.Platform;

/// <summary>The quality service over the platform, with the rules of <c>catalog/rules</c> and the weights of <c>catalog/quality.yaml</c>.</summary>
public static class QualityServiceFactory
{
    /// <summary>Reads the rule files and weights (every problem reported at once) and creates the service.</summary>
    public static QualityService Create(DataHubPlatform platform)
    {
        ArgumentNullException.ThrowIfNull(platform);
        var catalog = Path.Combine(platform.Settings.Root, "catalog");
        return new QualityService(platform.DataSource, platform.Tables, platform.Definitions,
            RuleFileLoader.LoadDirectory(Path.Combine(catalog, "rules"), platform.Definitions), QualityWeights.Load(Path.Combine(catalog, "quality.yaml")),
            ThemeDatasets(platform));
    }

    /// <summary>
    /// The theme tables as datasets, so their stored runs count in scores and bulletins. An invalid theme definition
    /// leaves them out here (the theme commands report its problems) rather than stopping every quality run.
    /// </summary>
    private static IReadOnlyList<DataHub.Catalog.DatasetDefinition> ThemeDatasets(DataHubPlatform platform)
    {
        try
        {
            return platform.Themes.Datasets;
        }
        catch (DataHub.Themes.Definitions.ThemeDefinitionException)
        {
            return [];
        }
    }
}
