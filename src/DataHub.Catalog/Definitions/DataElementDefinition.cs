namespace DataHub.Catalog;

/// <summary>A data element (数据元) from <c>catalog/elements.yaml</c>: the one form a meaning takes everywhere.</summary>
/// <param name="Code">Stable identifier, lower_snake_case, such as <c>citizen_id</c>.</param>
/// <param name="Name">Chinese name, such as 公民身份号码.</param>
/// <param name="DataType">One of <see cref="CatalogDefinitions.ElementTypes"/>.</param>
/// <param name="Length">Maximum length in characters (or digits), if fixed.</param>
/// <param name="Format">Representation format, such as <c>c18</c> or <c>YYYY-MM-DD</c>.</param>
/// <param name="CodeSetCode">The code set its values come from, if any.</param>
/// <param name="Unit">Unit of measure, such as <c>m3</c>.</param>
/// <param name="Description">Definition of the element.</param>
public sealed record DataElementDefinition(
    string Code,
    string Name,
    string DataType,
    int? Length,
    string? Format,
    string? CodeSetCode,
    string? Unit,
    string? Description);
