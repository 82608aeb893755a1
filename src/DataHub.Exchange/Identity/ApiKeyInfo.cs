namespace DataHub.Exchange.Identity;

/// <summary>What is known about an API key apart from its secret (which is never stored).</summary>
/// <param name="Id">The public id, shown in the key as <c>dhk_&lt;id&gt;_…</c>.</param>
/// <param name="Department">The department the key acts for.</param>
/// <param name="User">The owning user, if any.</param>
/// <param name="Roles">The roles granted to the key.</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="ExpiresAt">When it stops working; null for never.</param>
/// <param name="RevokedAt">When it was revoked; null while not revoked.</param>
public sealed record ApiKeyInfo(
    string Id, string Department, string? User, IReadOnlyList<string> Roles, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, DateTimeOffset? RevokedAt)
{
    /// <summary><c>revoked</c>, <c>expired</c> or <c>active</c> at <paramref name="now"/>.</summary>
    public string StatusAt(DateTimeOffset now) =>
        RevokedAt is not null ? "revoked" : ExpiresAt is { } e && e <= now ? "expired" : "active";
}
