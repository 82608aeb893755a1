namespace DataHub.Host.Api;

/// <summary>A column of a preview.</summary>
/// <param name="Name">Physical name.</param>
/// <param name="Type">DuckDB type.</param>
public sealed record PreviewColumn(string Name, string Type);
