namespace DataHub.Pipelines.Definitions;

/// <summary>A file-drop source: a folder, a file pattern and how to decode the files.</summary>
/// <param name="Path">The folder, relative to the repository root (or absolute).</param>
/// <param name="Pattern">File name pattern, such as <c>*.csv</c>.</param>
/// <param name="Format"><c>csv</c>, <c>json</c> or <c>ndjson</c> (the ingestor reads <c>csv</c> so far).</param>
/// <param name="Encoding"><c>auto</c>, <c>utf-8</c>, <c>utf-8-bom</c>, <c>gbk</c> or <c>gb18030</c>.</param>
/// <param name="Delimiter">The field separator.</param>
public sealed record FileSourceDefinition(string Path, string Pattern, string Format, string Encoding, char Delimiter);
