using System.Text.RegularExpressions;
using DataHub.Host.Platform;
using DataHub.Host.Portal;

namespace DataHub.Portal.Tests;

/// <summary>The English toggle covers every Chinese text the pages show.</summary>
public sealed partial class PortalTextTests
{
    [Fact]
    public void Every_text_in_the_pages_has_an_English_entry()
    {
        var pages = Path.Combine(DataHubSettings.FindRoot(), "src", "DataHub.Host", "Portal");
        var files = Directory.EnumerateFiles(pages, "*.cs*", SearchOption.AllDirectories).ToList();
        Assert.Contains(files, f => f.EndsWith("Dataset.cshtml", StringComparison.Ordinal));
        var texts = files.SelectMany(f => Text().Matches(File.ReadAllText(f)).Select(m => (File: Path.GetFileName(f), Text: m.Groups[1].Value)))
            .Where(t => t.Text.Any(c => c >= '\u4e00' && c <= '\u9fff'))
            .Distinct()
            .ToList();
        Assert.True(texts.Count > 100, $"only {texts.Count} texts found");
        var missing = texts.Where(t => !PortalText.HasEnglish(t.Text)).Select(t => $"{t.File}: {t.Text}").ToList();
        Assert.True(missing.Count == 0, "no English for:\n" + string.Join('\n', missing));
    }

    // T["…"], T.Format("…", …) and the label tables that go through T[...] (("api", "接口查询") and the switch arms of T[x switch { … }]).
    [GeneratedRegex("""(?:T\[|T\.Format\(|, |=> )"([^"\\]*)"[\]\),]""")]
    private static partial Regex Text();
}
