namespace DataHub.Catalog;

/// <summary>How many catalog rows one <see cref="CatalogLoader.ApplyAsync"/> call inserted, changed or removed.</summary>
/// <param name="Departments">Department rows inserted or changed.</param>
/// <param name="Nodes">Architecture nodes inserted or changed.</param>
/// <param name="Datasets">Dataset rows inserted or changed.</param>
/// <param name="Columns">Dataset columns inserted, changed or removed.</param>
public sealed record CatalogLoadResult(int Departments, int Nodes, int Datasets, int Columns)
{
    /// <summary>All rows touched; 0 when the database already matched the definitions.</summary>
    public int Total => Departments + Nodes + Datasets + Columns;
}
