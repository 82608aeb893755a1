namespace DataHub.Catalog;

/// <summary>One line of the dataset list.</summary>
/// <param name="Name">The lake table name.</param>
/// <param name="Title">The resource name.</param>
/// <param name="ProviderCode">The providing department's code.</param>
/// <param name="ProviderName">The providing department's name.</param>
/// <param name="ShareType"><c>unconditional</c>, <c>conditional</c> or <c>not_shareable</c>.</param>
/// <param name="Sensitivity">Sensitivity level 1 to 4.</param>
/// <param name="RowCount">Rows at the current snapshot of the dataset's lake table.</param>
/// <param name="FileCount">Number of registered data files.</param>
public sealed record DatasetSummary(
    string Name,
    string Title,
    string ProviderCode,
    string ProviderName,
    string ShareType,
    int Sensitivity,
    long RowCount,
    int FileCount);
