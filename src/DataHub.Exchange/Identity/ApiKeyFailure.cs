namespace DataHub.Exchange.Identity;

/// <summary>Why a bearer key did not authenticate.</summary>
public enum ApiKeyFailure
{
    /// <summary>Not of the form <c>dhk_&lt;id&gt;_&lt;secret&gt;</c>.</summary>
    Malformed,

    /// <summary>No key has that id.</summary>
    Unknown,

    /// <summary>The id exists but the secret does not match it.</summary>
    WrongSecret,

    /// <summary>The key's expiry has passed.</summary>
    Expired,

    /// <summary>The key was revoked.</summary>
    Revoked,

    /// <summary>The key belongs to a user who is no longer active.</summary>
    UserInactive,
}
