using System.Diagnostics;
using System.Globalization;

namespace DataHub.Host.Reports;

/// <summary>
/// Prints a bulletin's HTML page to PDF with Debian's Chromium in headless mode. The page is self-contained (ECharts
/// inlined), so Chromium needs no network; a virtual-time budget lets the charts finish drawing before printing.
/// </summary>
public static class BulletinPdf
{
    /// <summary>Where Chromium is looked for when <c>DATAHUB_CHROMIUM</c> is not set.</summary>
    public static readonly IReadOnlyList<string> KnownLocations = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];

    /// <summary>The Chromium executable: <c>DATAHUB_CHROMIUM</c>, else the first known location that exists, else null.</summary>
    public static string? FindChromium()
    {
        var configured = Environment.GetEnvironmentVariable("DATAHUB_CHROMIUM");
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return configured;
        }

        return KnownLocations.FirstOrDefault(File.Exists);
    }

    /// <summary>Prints <paramref name="htmlFile"/> to <paramref name="pdfFile"/> (replaced only once the print succeeded).</summary>
    /// <exception cref="FileNotFoundException">Chromium is not installed.</exception>
    /// <exception cref="InvalidOperationException">Chromium failed or did not write the PDF.</exception>
    public static async Task PrintAsync(string htmlFile, string pdfFile, CancellationToken ct)
    {
        var chromium = FindChromium() ?? throw new FileNotFoundException(
            $"Chromium is needed to print the bulletin PDF and was not found ({string.Join(", ", KnownLocations)}). " +
            "Install it with scripts/ensure-chromium.sh (apt-get install chromium fonts-wqy-microhei) or set DATAHUB_CHROMIUM.");
        var htmlPath = Path.GetFullPath(htmlFile);
        var target = Path.GetFullPath(pdfFile);
        var partial = target + ".partial";
        var profile = Directory.CreateTempSubdirectory("datahub-chromium-").FullName;
        try
        {
            var start = new ProcessStartInfo(chromium)
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
                UseShellExecute = false,
            };
            foreach (var argument in new[]
            {
                "--headless", "--disable-gpu", "--no-first-run", "--no-default-browser-check", "--disable-extensions",
                "--no-pdf-header-footer", "--virtual-time-budget=10000", "--user-data-dir=" + profile,
                "--print-to-pdf=" + partial, new Uri(htmlPath).AbsoluteUri,
            })
            {
                start.ArgumentList.Add(argument);
            }

            // Chromium refuses to run its sandbox as root (CI containers run as root); the page is our own file.
            if (Environment.UserName == "root")
            {
                start.ArgumentList.Insert(0, "--no-sandbox");
            }

            using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {chromium}.");
            var stderr = process.StandardError.ReadToEndAsync(ct);
            var stdout = process.StandardOutput.ReadToEndAsync(ct);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromMinutes(2));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new InvalidOperationException(ct.IsCancellationRequested
                    ? "Printing the bulletin PDF was cancelled."
                    : $"{chromium} did not print {htmlPath} within 2 minutes.");
            }

            await Task.WhenAll(stderr, stdout);
            if (process.ExitCode != 0 || !File.Exists(partial) || new FileInfo(partial).Length == 0)
            {
                var tail = string.Join('\n', (await stderr).Split('\n').Where(l => l.Length > 0).TakeLast(5));
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                    $"{chromium} exited with {process.ExitCode} without printing {htmlPath} to PDF: {tail}"));
            }

            File.Move(partial, target, overwrite: true);
        }
        finally
        {
            File.Delete(partial);
            Directory.Delete(profile, recursive: true);
        }
    }
}
