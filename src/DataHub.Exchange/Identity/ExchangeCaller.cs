namespace DataHub.Exchange.Identity;

/// <summary>Who is calling the exchange, as established by an API key.</summary>
/// <param name="Department">The department the key belongs to.</param>
/// <param name="User">The user the key belongs to, when it belongs to one.</param>
/// <param name="Roles">The roles in force: the key's roles (only those its user still holds, for a user's key).</param>
/// <param name="KeyId">The key's public id (the part of the key shown to humans).</param>
public sealed record ExchangeCaller(string Department, string? User, IReadOnlyList<string> Roles, string KeyId);
