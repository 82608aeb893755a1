using System.Security.Cryptography;
using DataHub.Exchange.Identity;
using DataHub.Host.Platform;

namespace DataHub.Host.Portal;

/// <summary>
/// The demo's portal users, one per part of the request flow: a gas analyst who requests household data, the police
/// approver who provides it, the data bureau's administrator who gives the second approval, and a water approver.
/// </summary>
public static class DemoUsers
{
    /// <summary>The users: name, department, display name, roles.</summary>
    public static readonly IReadOnlyList<ExchangeUser> All =
    [
        new("gas.analyst", "gas", "燃气集团 数据分析员", [ExchangeRoles.Requester, ExchangeRoles.Analyst], true),
        new("police.approver", "police", "市公安局 数据审批员", [ExchangeRoles.Approver], true),
        new("bureau.admin", "bureau", "数据资源管理局 管理员", [ExchangeRoles.BureauAdmin, ExchangeRoles.Analyst], true),
        new("water.approver", "water", "水务集团 数据审批员", [ExchangeRoles.Approver], true),
    ];

    /// <summary>A fresh random password (16 letters and digits).</summary>
    public static string NewPassword() => RandomNumberGenerator.GetString("abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789", 16);

    /// <summary>Adds the users that are missing and sets every one's password.</summary>
    public static async Task EnsureAsync(DataHubPlatform platform, string password, string actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(platform);
        foreach (var user in All)
        {
            if (await platform.Identity.GetUserAsync(user.Name, ct) is null)
            {
                await platform.Identity.CreateUserAsync(user, actor, ct);
            }

            await platform.Identity.SetPasswordAsync(user.Name, password, actor, ct);
        }
    }
}
