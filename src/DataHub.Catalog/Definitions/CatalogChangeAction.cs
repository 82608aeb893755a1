namespace DataHub.Catalog;

/// <summary>What applying the catalog definitions does to one row.</summary>
public enum CatalogChangeAction
{
    /// <summary>The row is new.</summary>
    Added,

    /// <summary>The row exists and some value differs.</summary>
    Changed,

    /// <summary>The row is no longer in the files and is deleted (dataset columns and code values only).</summary>
    Removed,
}
