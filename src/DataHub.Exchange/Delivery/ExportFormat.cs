namespace DataHub.Exchange.Delivery;

/// <summary>The file formats of an export, with their media types and DuckDB COPY options.</summary>
public static class ExportFormat
{
    /// <summary>The formats offered.</summary>
    public static IReadOnlyList<string> All { get; } = ["parquet", "csv", "json"];

    /// <summary>The media type of a format.</summary>
    /// <param name="format">parquet, csv or json.</param>
    public static string MediaType(string format) => format switch
    {
        "parquet" => "application/vnd.apache.parquet",
        "csv" => "text/csv; charset=utf-8",
        "json" => "application/x-ndjson; charset=utf-8",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "parquet, csv or json"),
    };

    /// <summary>The file extension of a format.</summary>
    /// <param name="format">parquet, csv or json.</param>
    public static string Extension(string format) => format == "json" ? "ndjson" : format;

    /// <summary>The COPY options: written straight to the pipe, in one stream, in the view's row order.</summary>
    internal static string CopyOptions(string format) => format switch
    {
        "parquet" => "FORMAT parquet, COMPRESSION zstd, USE_TMP_FILE false",
        "csv" => "FORMAT csv, HEADER true, USE_TMP_FILE false",
        "json" => "FORMAT json, USE_TMP_FILE false",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "parquet, csv or json"),
    };
}
