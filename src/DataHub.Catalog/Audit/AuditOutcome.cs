namespace DataHub.Catalog.Audit;

/// <summary>How an audited attempt ended; stored in lower case (<c>ok</c>, <c>denied</c>, <c>error</c>).</summary>
public enum AuditOutcome
{
    /// <summary>The action was carried out.</summary>
    Ok,

    /// <summary>The action was refused (no grant, wrong key, outside the grant's purpose, …).</summary>
    Denied,

    /// <summary>The action was allowed but failed.</summary>
    Error,
}
