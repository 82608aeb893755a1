namespace DataHub.Catalog;

/// <summary>A department or utility from <c>catalog/departments.yaml</c>.</summary>
/// <param name="Code">Short stable code, such as <c>water</c>.</param>
/// <param name="Name">Official name, such as 市水务集团.</param>
/// <param name="Kind"><c>department</c> or <c>utility</c>.</param>
public sealed record DepartmentDefinition(string Code, string Name, string Kind);
