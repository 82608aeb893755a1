namespace DataHub.Catalog;

/// <summary>What one <see cref="CatalogLoader.ApplyAsync(Npgsql.NpgsqlDataSource, CatalogDefinitions, bool, Microsoft.Extensions.Logging.ILogger?, CancellationToken)"/> call added, changed or removed.</summary>
/// <param name="Changes">Every row added, changed or removed, in the order applied.</param>
/// <param name="DryRun">True when the changes were rolled back (nothing was written).</param>
public sealed record CatalogLoadResult(IReadOnlyList<CatalogChange> Changes, bool DryRun = false)
{
    /// <summary>Department rows inserted or changed.</summary>
    public int Departments => Count("department");

    /// <summary>Architecture nodes inserted or changed.</summary>
    public int Nodes => Count("node");

    /// <summary>Dataset rows inserted or changed.</summary>
    public int Datasets => Count("dataset");

    /// <summary>Dataset columns inserted, changed or removed.</summary>
    public int Columns => Count("column");

    /// <summary>Data elements inserted or changed.</summary>
    public int Elements => Count("element");

    /// <summary>Code sets inserted or changed.</summary>
    public int CodeSets => Count("code_set");

    /// <summary>Code values inserted, changed or removed.</summary>
    public int CodeValues => Count("code_value");

    /// <summary>All rows touched; 0 when the database already matched the definitions.</summary>
    public int Total => Changes.Count;

    /// <summary>The number of changes of one kind.</summary>
    /// <param name="kind">department, grade, code_set, code_value, element, node, dataset or column.</param>
    public int Count(string kind) => Changes.Count(c => string.Equals(c.Kind, kind, StringComparison.Ordinal));
}
