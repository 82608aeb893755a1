using System.Globalization;

namespace DataHub.Host.Tests.Samples;

/// <summary>The two tables of samples/README.md: the files with their counts, and where each dataset's dirt is.</summary>
internal sealed class SamplesReadme
{
    public static readonly string[] DirtKinds = ["blank", "无", "full-width", "duplicate", "impossible date", "negative", "bad check digit", "extra field"];

    private SamplesReadme(IReadOnlyList<FileRow> files, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> columns)
    {
        Files = files;
        Columns = columns;
    }

    public IReadOnlyList<FileRow> Files { get; }

    /// <summary>Dataset → kind of dirt → the header it is in.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Columns { get; }

    public static SamplesReadme Load(string root)
    {
        var lines = File.ReadAllLines(Path.Combine(root, "samples", "README.md"));
        var files = Table(lines, "## Files").Select(cells => new FileRow(
            cells[0], cells[1], cells[2], cells[3], Number(cells[4]),
            DirtKinds.Select((kind, i) => (kind, Number(cells[5 + i]))).ToDictionary(x => x.kind, x => x.Item2, StringComparer.Ordinal),
            Number(cells[13]), Number(cells[14]))).ToList();
        var where = Table(lines, "## Where the dirt is", includeHeader: true).ToList();
        var kinds = where[0];
        var columns = where.Skip(1).ToDictionary(
            cells => cells[0],
            cells => (IReadOnlyDictionary<string, string>)Enumerable.Range(1, kinds.Length - 1)
                .Where(i => i < cells.Length && cells[i].Length > 0)
                .ToDictionary(i => kinds[i], i => cells[i], StringComparer.Ordinal),
            StringComparer.Ordinal);
        return new SamplesReadme(files, columns);
    }

    private static IEnumerable<string[]> Table(string[] lines, string heading, bool includeHeader = false)
    {
        var start = Array.IndexOf(lines, heading);
        Assert.True(start >= 0, $"samples/README.md has no '{heading}'");
        var table = lines.Skip(start + 1).SkipWhile(l => !l.StartsWith('|')).TakeWhile(l => l.StartsWith('|'))
            .Select(l => l.Trim().Trim('|').Split('|').Select(c => c.Trim()).ToArray()).ToList();
        return table.Where((_, i) => i != 1 && (includeHeader || i != 0));
    }

    private static int Number(string cell) => int.Parse(cell, NumberStyles.Integer, CultureInfo.InvariantCulture);

    /// <summary>One row of the files table.</summary>
    internal sealed record FileRow(
        string File, string Dataset, string Format, string Encoding, int Rows, IReadOnlyDictionary<string, int> Dirt, int Other, int Rejected);
}
