namespace DataHub.Host.Auth;

/// <summary>The claims an authenticated API key carries besides name and roles.</summary>
public static class ApiKeyClaims
{
    /// <summary>The key's public id.</summary>
    public const string KeyId = "datahub:key_id";

    /// <summary>The department the key acts for.</summary>
    public const string Department = "datahub:department";

    /// <summary>The user owning the key, when one does.</summary>
    public const string User = "datahub:user";
}
