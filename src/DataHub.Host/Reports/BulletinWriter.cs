using DataHub.Host.Platform;
using DataHub.Quality.Service;

namespace DataHub.Host.Reports;

/// <summary>A written bulletin: its figures and the two files under <c>$DATAHUB_HOME/reports/YYYY-MM/</c>.</summary>
/// <param name="Bulletin">The figures the files show.</param>
/// <param name="Html">The self-contained HTML page.</param>
/// <param name="Pdf">The PDF Chromium printed from the page.</param>
public sealed record WrittenBulletin(Bulletin Bulletin, string Html, string Pdf);

/// <summary>Builds a month's bulletin from the stored runs and writes it under <c>$DATAHUB_HOME/reports/YYYY-MM/</c>.</summary>
public static class BulletinWriter
{
    /// <summary>
    /// Writes <c>bulletin.html</c> for the month, then prints it to <c>bulletin.pdf</c>. The HTML page is kept when
    /// printing fails (Chromium missing or failing); the error then names what to install.
    /// </summary>
    public static async Task<WrittenBulletin> WriteAsync(DataHubPlatform platform, int year, int month, CancellationToken ct)
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
        var html = Path.Combine(folder, "bulletin.html");
        await File.WriteAllTextAsync(html, BulletinHtml.Render(bulletin, await File.ReadAllTextAsync(echarts, ct)), ct);
        var pdf = Path.Combine(folder, "bulletin.pdf");
        await BulletinPdf.PrintAsync(html, pdf, ct);
        return new WrittenBulletin(bulletin, html, pdf);
    }
}
