namespace DataHub.Exchange.Identity;

/// <summary>The outcome of checking a bearer key: a caller, or why not.</summary>
/// <param name="Caller">The caller when the key is good; null otherwise.</param>
/// <param name="Failure">Why the key was refused; null when it was accepted.</param>
/// <param name="KeyId">The key id the presented key names, when it is well formed (for the audit log).</param>
/// <param name="Department">The department of the named key, when it exists (for the audit log).</param>
public sealed record ApiKeyAuthentication(ExchangeCaller? Caller, ApiKeyFailure? Failure, string? KeyId, string? Department)
{
    /// <summary>The failure as written in the audit log: <c>malformed</c>, <c>unknown</c>, <c>wrong-secret</c>, <c>expired</c>, <c>revoked</c>, <c>user-inactive</c>.</summary>
    public string? FailureCode => Failure switch
    {
        null => null,
        ApiKeyFailure.Malformed => "malformed",
        ApiKeyFailure.Unknown => "unknown",
        ApiKeyFailure.WrongSecret => "wrong-secret",
        ApiKeyFailure.Expired => "expired",
        ApiKeyFailure.Revoked => "revoked",
        _ => "user-inactive",
    };
}
