namespace DataHub.Exchange.Requests;

/// <summary>Why the exchange refused an action, as an HTTP caller needs to know it.</summary>
public enum ExchangeRefusal
{
    /// <summary>The input is invalid (400).</summary>
    Invalid,

    /// <summary>The actor may not do this (403).</summary>
    Forbidden,

    /// <summary>The request, grant or demand does not exist (404).</summary>
    NotFound,

    /// <summary>The thing is in a state where this cannot be done: already decided, revoked, expired (409).</summary>
    Conflict,
}
