namespace DataHub.Pipelines.Definitions;

/// <summary>A file-drop source: a folder, a file pattern and how to decode the files.</summary>
/// <param name="Path">The folder, relative to the repository root (or absolute).</param>
/// <param name="Pattern">File name pattern, such as <c>*.csv</c>.</param>
/// <param name="Format">Only <c>csv</c> for now.</param>
/// <param name="Encoding"><c>auto</c>, <c>utf-8</c> or <c>gbk</c>.</param>
/// <param name="Delimiter">The field separator.</param>
public sealed record FileSourceDefinition(string Path, string Pattern, string Format, string Encoding, char Delimiter);
