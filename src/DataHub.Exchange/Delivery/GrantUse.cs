namespace DataHub.Exchange.Delivery;

/// <summary>How data leaves under a grant.</summary>
public enum GrantUse
{
    /// <summary>A page of rows as JSON (<c>POST …/grants/{id}/query</c>).</summary>
    Query,

    /// <summary>The whole grant as a streamed file (<c>GET …/grants/{id}/export</c>).</summary>
    Export,

    /// <summary>Does this person or entity exist, with the granted fields (<c>GET …/verify/…</c>).</summary>
    Verify,
}
