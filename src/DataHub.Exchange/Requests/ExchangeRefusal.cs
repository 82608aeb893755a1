namespace DataHub.Exchange.Requests;

/// <summary>Why an exchange action was refused, as far as a caller needs to tell refusals apart (HTTP maps each to a status).</summary>
public enum ExchangeRefusal
{
    /// <summary>Not classified (the request service's refusals so far).</summary>
    Unspecified = 0,

    /// <summary>The input is invalid; each problem names its field (400).</summary>
    Invalid,

    /// <summary>The actor may not do this (403).</summary>
    Forbidden,

    /// <summary>The thing acted on does not exist (404).</summary>
    NotFound,

    /// <summary>The thing acted on is in a state that does not allow the action (409).</summary>
    Conflict,
}
