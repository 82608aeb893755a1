namespace DataHub.Catalog;

/// <summary>A dataset with its catalogue metadata, columns and data files.</summary>
/// <param name="Id">The catalog id.</param>
/// <param name="Name">The lake table name.</param>
/// <param name="Title">The resource name.</param>
/// <param name="ResourceCode">The resource code, if assigned.</param>
/// <param name="ProviderCode">The providing department's code.</param>
/// <param name="ProviderName">The providing department's name.</param>
/// <param name="Abstract">What the data is and what it is for.</param>
/// <param name="UpdateCycle">How often it is updated.</param>
/// <param name="ShareType"><c>unconditional</c>, <c>conditional</c> or <c>not_shareable</c>.</param>
/// <param name="ShareCondition">The share condition or the legal basis for not sharing.</param>
/// <param name="OpenAttribute">Whether and how it is opened to the public.</param>
/// <param name="Sensitivity">Sensitivity level 1 to 4.</param>
/// <param name="Importance"><c>core</c>, <c>important</c> or <c>general</c>.</param>
/// <param name="L4NodeCode">The L4 logical entity, if mapped.</param>
/// <param name="L4NodeName">Its name, if mapped.</param>
/// <param name="CreatedAt">When the dataset entered the catalog.</param>
/// <param name="Columns">The columns in order.</param>
/// <param name="Files">The data files live at the current snapshot of the lake table of the same name.</param>
/// <param name="PublicationDate">When the catalogue entry was published, if it has been.</param>
public sealed record DatasetDetail(
    long Id,
    string Name,
    string Title,
    string? ResourceCode,
    string ProviderCode,
    string ProviderName,
    string? Abstract,
    string? UpdateCycle,
    string ShareType,
    string? ShareCondition,
    string? OpenAttribute,
    int Sensitivity,
    string Importance,
    string? L4NodeCode,
    string? L4NodeName,
    DateTimeOffset CreatedAt,
    IReadOnlyList<DatasetColumn> Columns,
    IReadOnlyList<DataFile> Files,
    DateOnly? PublicationDate = null)
{
    /// <summary>Rows over all registered data files.</summary>
    public long RowCount => Files.Sum(f => f.RowCount);

    /// <summary>Columns mapped to an L5 attribute.</summary>
    public int MappedColumns => Columns.Count(c => c.L5NodeCode is not null);

    /// <summary>The columns with no L5 attribute, in order.</summary>
    public IReadOnlyList<string> UnmappedColumns => Columns.Where(c => c.L5NodeCode is null).Select(c => c.Name).ToList();

    /// <summary>The lake table's snapshots, newest first (at most 100).</summary>
    public IReadOnlyList<DatasetSnapshot> Snapshots { get; init; } = [];
}
