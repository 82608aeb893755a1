namespace DataHub.Pipelines.Sources;

/// <summary>How a JSON-shaped file is decoded.</summary>
/// <param name="Format"><c>json</c> (an array of records, or an object holding it at <paramref name="RecordsPath"/>) or <c>ndjson</c> (one record per line).</param>
/// <param name="Encoding"><c>auto</c>, <c>utf-8</c>, <c>utf-8-bom</c>, <c>gbk</c> or <c>gb18030</c>.</param>
/// <param name="RecordsPath">For <c>json</c>: the dot path of the records array inside the root object (such as <c>data.items</c>); null when the root is the array.</param>
public sealed record JsonFormatOptions(string Format = "json", string Encoding = "auto", string? RecordsPath = null)
{
    /// <summary>The formats understood.</summary>
    public static IReadOnlyList<string> Formats { get; } = ["json", "ndjson"];

    /// <summary>The encodings understood.</summary>
    public static IReadOnlyList<string> Encodings { get; } = ["auto", "utf-8", "utf-8-bom", "gbk", "gb18030"];

    /// <summary>
    /// The most records a file may have rejected (malformed lines, non-objects) before it fails as a whole: past this
    /// it is not the declared format. Every rejection is kept in memory to be reported.
    /// </summary>
    public int MaxRejected { get; init; } = 10_000;

    /// <summary>What is wrong with these options; empty when they are usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (!Formats.Contains(Format))
        {
            problems.Add($"format '{Format}' is not one of {string.Join(", ", Formats)}.");
        }

        if (!Encodings.Contains(Encoding))
        {
            problems.Add($"encoding '{Encoding}' is not one of {string.Join(", ", Encodings)}.");
        }

        if (Format == "ndjson" && !string.IsNullOrWhiteSpace(RecordsPath))
        {
            problems.Add("records_path applies to json, not to ndjson, whose every line is a record.");
        }

        if (RecordsPath is not null && JsonRecordParser.SplitPath(RecordsPath).Any(string.IsNullOrEmpty))
        {
            problems.Add($"records_path '{RecordsPath}' has an empty segment.");
        }

        if (MaxRejected < 0)
        {
            problems.Add("max_rejected cannot be negative.");
        }

        return problems;
    }
}
