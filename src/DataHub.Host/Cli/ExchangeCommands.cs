using System.Globalization;
using DataHub.Exchange.Identity;
using DataHub.Host.Platform;

namespace DataHub.Host.Cli;

/// <summary>The <c>exchange</c> verbs: users and API keys of the sharing exchange.</summary>
internal static class ExchangeCommands
{
    public const string Help = """
        datahub exchange user add <name> --department <code> --roles <r1,r2> [--display-name <text>]
        datahub exchange user password <name>          (reads the new password from standard input)
        datahub exchange key create --department <code> [--user <name>] [--roles <r1,r2>] [--expires <duration>]
        datahub exchange key list
        datahub exchange key revoke <id>

        Roles: requester (files requests for its department), approver (decides requests for the data its
        department provides), bureau_admin (the data bureau's administrator), analyst (queries granted data).

        user add     adds a user of a department (catalog/departments.yaml) holding the given roles.
        user password sets the user's portal password (at least 10 characters), read from the first line of
                     standard input so it stays out of the shell history; signing in at /login then works.
        key create   creates an API key for a department, optionally owned by one of its users. --roles defaults
                     to the user's roles (a user's key cannot carry roles the user lacks; a department key gets
                     none unless given). --expires takes 90s, 30m, 12h, 90d, 2w (default: never).
                     Prints the key, dhk_<id>_<secret>, ONCE: only a salted SHA-256 of it is stored.
                     Call the API with 'Authorization: Bearer dhk_…'.
        key list     lists keys: id, department, user, roles, created, expires, status. Never a secret.
        key revoke   revokes a key by id; the next call with it gets 401.
        Every change is written to the audit log.
        """;

    public static async Task<int> RunAsync(DataHubPlatform platform, CommandLine options, TextWriter output, CancellationToken ct)
    {
        var actor = "cli:" + Environment.UserName;
        switch (options.Positional)
        {
            case ["user", "add", var name]:
            {
                var department = options.Value("department") ?? throw new ArgumentException("user add needs --department <code>.");
                var roles = ExchangeRoles.Parse(options.Value("roles"));
                await platform.Identity.CreateUserAsync(
                    new ExchangeUser(name, department, options.Value("display-name") ?? name, roles, Active: true), actor, ct);
                await output.WriteLineAsync($"user {name} added to {department} with role(s) {Roles(roles)}");
                return 0;
            }

            case ["user", "password", var name]:
            {
                var password = (await Console.In.ReadLineAsync(ct))?.TrimEnd('\r') ?? string.Empty;
                await platform.Identity.SetPasswordAsync(name, password, actor, ct);
                await output.WriteLineAsync($"password of {name} set; sign in at /login");
                return 0;
            }

            case ["key", "create"]:
            {
                var department = options.Value("department") ?? throw new ArgumentException("key create needs --department <code>.");
                var roles = options.Value("roles") is { } r ? ExchangeRoles.Parse(r) : null;
                TimeSpan? lifetime = options.Value("expires") is { } e ? DurationParser.Parse(e, "expires") : null;
                var created = await platform.Identity.CreateApiKeyAsync(department, options.Value("user"), roles, lifetime, actor, ct);
                var key = created.Key;
                await output.WriteLineAsync(created.Secret);
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"key {key.Id} for {key.Department}{(key.User is null ? string.Empty : " (user " + key.User + ")")}, role(s) {Roles(key.Roles)}, expires {(key.ExpiresAt is { } x ? x.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) : "never")}"));
                await output.WriteLineAsync("This is the only time the key is shown: store it now. Call the API with 'Authorization: Bearer <key>'.");
                return 0;
            }

            case ["key", "list"]:
            {
                var keys = await platform.Identity.ListApiKeysAsync(ct);
                var now = DateTimeOffset.UtcNow;
                await output.WriteLineAsync($"{"id",-12}  {"department",-10}  {"user",-16}  {"status",-7}  {"created",-20}  {"expires",-20}  roles");
                foreach (var key in keys)
                {
                    await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                        $"{key.Id,-12}  {key.Department,-10}  {key.User ?? "-",-16}  {key.StatusAt(now),-7}  {Time(key.CreatedAt),-20}  {(key.ExpiresAt is { } x ? Time(x) : "never"),-20}  {Roles(key.Roles)}"));
                }

                await output.WriteLineAsync($"{keys.Count} key(s)");
                return 0;
            }

            case ["key", "revoke", var id]:
            {
                var revoked = await platform.Identity.RevokeApiKeyAsync(id, actor, ct);
                await output.WriteLineAsync(revoked ? $"key {id} revoked" : $"key {id} was already revoked");
                return 0;
            }

            default:
                await output.WriteLineAsync(Help);
                return 2;
        }
    }

    private static string Roles(IReadOnlyList<string> roles) => roles.Count == 0 ? "(none)" : string.Join(',', roles);

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
