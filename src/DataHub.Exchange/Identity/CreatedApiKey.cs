namespace DataHub.Exchange.Identity;

/// <summary>A newly created API key: the only moment its full text exists outside the caller's hands.</summary>
/// <param name="Key">The stored facts about the key.</param>
/// <param name="Secret">The full bearer key, <c>dhk_&lt;id&gt;_&lt;64 hex digits&gt;</c>; show it once and forget it.</param>
public sealed record CreatedApiKey(ApiKeyInfo Key, string Secret)
{
    /// <inheritdoc />
    public override string ToString() => $"CreatedApiKey {{ Key = {Key}, Secret = *** }}";
}
