namespace DataHub.Catalog;

/// <summary>One row that applying the catalog definitions adds, changes or removes.</summary>
/// <param name="Kind">department, grade, code_set, code_value, element, node, dataset or column.</param>
/// <param name="Key">The row's code or name (a column as <c>dataset.column</c>, a code value as <c>set:code</c>).</param>
/// <param name="Action">What happens to it.</param>
public sealed record CatalogChange(string Kind, string Key, CatalogChangeAction Action);
