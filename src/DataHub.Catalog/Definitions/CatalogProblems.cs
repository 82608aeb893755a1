namespace DataHub.Catalog;

/// <summary>
/// Collects every problem found while reading the catalog files, so that one run reports all of them
/// (file:line: field: problem) rather than stopping at the first.
/// </summary>
internal sealed class CatalogProblems
{
    private readonly List<CatalogDefinitionException> items = [];

    /// <summary>The problems so far, in the order found.</summary>
    public IReadOnlyList<CatalogDefinitionException> Items => items;

    /// <summary>Records a problem.</summary>
    public void Add(CatalogDefinitionException problem) => items.Add(problem);

    /// <summary>Reads a value; on a problem records it and returns the default.</summary>
    public T? Try<T>(Func<T> read)
    {
        try
        {
            return read();
        }
        catch (CatalogDefinitionException problem)
        {
            items.Add(problem);
            return default;
        }
    }

    /// <summary>Runs a check; records its problem, if any.</summary>
    public void Check(Action check)
    {
        try
        {
            check();
        }
        catch (CatalogDefinitionException problem)
        {
            items.Add(problem);
        }
    }

    /// <summary>Throws one exception listing every problem, when there is any.</summary>
    public void ThrowIfAny()
    {
        if (items.Count > 0)
        {
            throw items.Count == 1 ? items[0] : new CatalogDefinitionException(items.ToList());
        }
    }
}
