namespace DataHub.Catalog;

/// <summary>
/// A catalogue entry (core metadata after GB/T 21063) with its columns, from
/// <c>catalog/datasets/&lt;name&gt;.yaml</c>.
/// </summary>
/// <param name="Name">The lake table name, <c>schema.table</c>, such as <c>water.meter_reading_daily</c>.</param>
/// <param name="Title">The resource name shown to people.</param>
/// <param name="ResourceCode">The resource code (classification code and sequence), if assigned.</param>
/// <param name="ProviderCode">The code of the providing department.</param>
/// <param name="Abstract">What the data is and what it is for.</param>
/// <param name="UpdateCycle">How often it is updated: realtime, hourly, daily, weekly, monthly, quarterly, yearly or irregular.</param>
/// <param name="ShareType"><c>unconditional</c>, <c>conditional</c> or <c>not_shareable</c>.</param>
/// <param name="ShareCondition">The condition for conditional sharing, or the legal basis for not sharing.</param>
/// <param name="OpenAttribute">Whether and how the data is opened to the public.</param>
/// <param name="Sensitivity">Sensitivity level 1 (not sensitive) to 4 (sensitive).</param>
/// <param name="Importance">Grade after GB/T 43697: <c>core</c>, <c>important</c> or <c>general</c>.</param>
/// <param name="L4NodeCode">The L4 logical entity the dataset realises, if mapped.</param>
/// <param name="Columns">The physical columns in order.</param>
/// <param name="SourceFile">The YAML file it was read from.</param>
/// <param name="PublicationDate">When the catalogue entry was published, if it has been.</param>
public sealed record DatasetDefinition(
    string Name,
    string Title,
    string? ResourceCode,
    string ProviderCode,
    string? Abstract,
    string? UpdateCycle,
    string ShareType,
    string? ShareCondition,
    string? OpenAttribute,
    int Sensitivity,
    string Importance,
    string? L4NodeCode,
    IReadOnlyList<DatasetColumnDefinition> Columns,
    string SourceFile,
    DateOnly? PublicationDate = null)
{
    /// <summary>The schema part of <see cref="Name"/> (before the dot).</summary>
    public string Schema => Name[..Name.IndexOf('.', StringComparison.Ordinal)];

    /// <summary>The table part of <see cref="Name"/> (after the dot).</summary>
    public string Table => Name[(Name.IndexOf('.', StringComparison.Ordinal) + 1)..];

    /// <summary>The column read from the given source header, or null.</summary>
    /// <param name="source">A header from the provider's file.</param>
    public DatasetColumnDefinition? ColumnForSource(string source) =>
        Columns.FirstOrDefault(c => string.Equals(c.Source, source, StringComparison.Ordinal));
}
