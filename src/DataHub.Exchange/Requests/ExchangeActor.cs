namespace DataHub.Exchange.Requests;

/// <summary>Who acts on the exchange, as established by the caller's authentication.</summary>
/// <param name="Department">The actor's department code.</param>
/// <param name="User">The user name (or API key id).</param>
/// <param name="Roles">The actor's roles: requester, approver, bureau_admin, analyst.</param>
public sealed record ExchangeActor(string Department, string User, IReadOnlySet<string> Roles);
