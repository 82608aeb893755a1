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
            RuleFileLoader.LoadDirectory(Path.Combine(catalog, "rules"), platform.Definitions), QualityWeights.Load(Path.Combine(catalog, "quality.yaml")));
    }
}
