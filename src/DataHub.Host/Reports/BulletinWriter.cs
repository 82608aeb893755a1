using DataHub.Host.Platform;
using DataHub.Quality.Service;

namespace DataHub.Host.Reports;

/// <summary>Builds a month's bulletin from the stored runs and writes it under <c>$DATAHUB_HOME/reports/YYYY-MM/</c>.</summary>
public static class BulletinWriter
{
    /// <summary>Writes <c>bulletin.html</c> for the month and returns the bulletin and the file.</summary>
    public static async Task<(Bulletin Bulletin, string File)> WriteAsync(DataHubPlatform platform, int year, int month, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(platform);
        var bulletin = await QualityServiceFactory.Create(platform).BulletinAsync(year, month, ct);
        var echarts = Path.Combine(platform.Settings.Root, "node_modules", "echarts", "dist", "echarts.min.js");
        if (!File.Exists(echarts))
        {
            throw new FileNotFoundException($"Apache ECharts is missing at {echarts}; run 'npm ci' in {platform.Settings.Root}.");
        }

        var folder = Path.Combine(platform.Settings.Home, "reports", bulletin.Month);
        Directory.CreateDirectory(folder);
        var file = Path.Combine(folder, "bulletin.html");
        await File.WriteAllTextAsync(file, BulletinHtml.Render(bulletin, await File.ReadAllTextAsync(echarts, ct)), ct);
        return (bulletin, file);
    }
}
