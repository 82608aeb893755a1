namespace DataHub.Exchange.Identity;

/// <summary>A person who uses the exchange for a department.</summary>
/// <param name="Name">Login name: lower case letters, digits, <c>.</c>, <c>_</c>, <c>-</c>.</param>
/// <param name="Department">The department's code.</param>
/// <param name="DisplayName">The name shown to people.</param>
/// <param name="Roles">The roles held.</param>
/// <param name="Active">False once the user is disabled: their keys stop working.</param>
public sealed record ExchangeUser(string Name, string Department, string DisplayName, IReadOnlyList<string> Roles, bool Active);
