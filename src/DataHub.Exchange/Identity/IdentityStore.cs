using System.Data;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using DataHub.Catalog.Audit;
using Npgsql;

namespace DataHub.Exchange.Identity;

/// <summary>
/// Users and API keys of the sharing exchange (<c>datahub.app_user</c>, <c>datahub.api_key</c>, migration 0009),
/// and the check of a bearer key on every call.
/// </summary>
/// <remarks>
/// <para>A key reads <c>dhk_&lt;id&gt;_&lt;secret&gt;</c>: <c>id</c> is 12 random lower-case letters and digits (the part
/// shown in listings and logs), <c>secret</c> the 64 lower-case hex digits of 32 random bytes. Only
/// SHA-256(<c>"datahub.apikey.v1:" ‖ id ‖ ":"</c> ‖ secret bytes) is stored — the id salts the hash — and
/// presented secrets are compared to it in constant time. A high-entropy secret needs no slow hash.</para>
/// <para>Every check uses the key's current row, so revocation, expiry and a user's deactivation or loss of a role
/// take effect on the next call: read from PostgreSQL, or, in a serving process, from a copy that
/// <see cref="AccessChanges"/> drops the moment any key or user changes. Creating users and keys and revoking keys writes an audit entry in the same
/// transaction.</para>
/// </remarks>
public sealed class IdentityStore
{
    /// <summary>The text every key starts with.</summary>
    public const string KeyPrefix = "dhk_";

    private const int IdLength = 12;
    private const int SecretBytes = 32;
    private const string IdAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789";

    private const string KeyColumns = "id, department, user_name, roles, created_at, expires_at, revoked_at";

    private readonly NpgsqlDataSource _dataSource;
    private readonly AccessChanges? _changes;
    private readonly TimeProvider _time;
    private readonly AccessCache<string, KeyRow> _keys;

    /// <summary>Creates the store over a migrated database.</summary>
    /// <param name="dataSource">The catalog database (migration 0009 applied).</param>
    /// <param name="changes">
    /// When given (and listening), key rows are kept in memory between calls and dropped whenever a key or user
    /// changes anywhere; without it every check reads PostgreSQL.
    /// </param>
    /// <param name="time">The clock expiry is checked against (the system clock by default).</param>
    public IdentityStore(NpgsqlDataSource dataSource, AccessChanges? changes = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        _dataSource = dataSource;
        _changes = changes;
        _keys = new AccessCache<string, KeyRow>(changes);
        _time = time ?? TimeProvider.System;
    }

    /// <summary>A key's row as the check needs it.</summary>
    private sealed record KeyRow(
        string Department, string? User, byte[] SecretHash, DateTimeOffset? ExpiresAt, bool Revoked, bool UserActive, string[] Roles);

    /// <summary>Adds a user.</summary>
    /// <param name="user">The user; <see cref="ExchangeUser.Active"/> is stored as given.</param>
    /// <param name="actor">Who adds the user (for the audit log).</param>
    /// <param name="ct">Cancels the insert.</param>
    /// <exception cref="ArgumentException">The name is taken or invalid, the department unknown, or a role unknown.</exception>
    public async Task CreateUserAsync(ExchangeUser user, string actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        var roles = ExchangeRoles.Parse(string.Join(',', user.Roles));
        await using var connection = await _dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, ct);
        await RequireDepartmentAsync(connection, transaction, user.Department, ct);
        await using (var insert = new NpgsqlCommand(
            """
            INSERT INTO datahub.app_user (name, department, display_name, roles, active)
            VALUES (@name, @department, @display, @roles, @active)
            ON CONFLICT (name) DO NOTHING
            """, connection, transaction))
        {
            insert.Parameters.AddWithValue("name", user.Name);
            insert.Parameters.AddWithValue("department", user.Department);
            insert.Parameters.AddWithValue("display", user.DisplayName);
            insert.Parameters.AddWithValue("roles", roles.ToArray());
            insert.Parameters.AddWithValue("active", user.Active);
            try
            {
                if (await insert.ExecuteNonQueryAsync(ct) == 0)
                {
                    throw new ArgumentException($"user '{user.Name}' already exists.");
                }
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.CheckViolation)
            {
                throw new ArgumentException($"user name '{user.Name}' is not valid: use lower case letters, digits, '.', '_' or '-' (at most 63).", e);
            }
        }

        await AuditLog.AppendAsync(connection, transaction, new AuditEntry(actor, null, "user.created", user.Name, AuditOutcome.Ok,
            new JsonObject { ["department"] = user.Department, ["roles"] = new JsonArray([.. roles.Select(r => JsonValue.Create(r))]) }), ct);
        await transaction.CommitAsync(ct);
        _changes?.Changed();
    }

    /// <summary>Sets (or replaces) a user's portal password; the user's existing sessions keep working until they expire or sign out.</summary>
    /// <param name="name">The user.</param>
    /// <param name="password">The new password (see <see cref="PasswordHash.Problem"/>).</param>
    /// <param name="actor">Who sets it (for the audit log; the password never is).</param>
    /// <param name="ct">Cancels the update.</param>
    /// <exception cref="ArgumentException">Unknown user or an unusable password.</exception>
    public async Task SetPasswordAsync(string name, string password, string actor, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        if (PasswordHash.Problem(password) is { } problem)
        {
            throw new ArgumentException(problem + ".");
        }

        var hash = PasswordHash.Hash(password);
        await using var connection = await _dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, ct);
        await using (var update = new NpgsqlCommand("UPDATE datahub.app_user SET password_hash = @hash WHERE name = @name RETURNING department", connection, transaction))
        {
            update.Parameters.AddWithValue("hash", hash);
            update.Parameters.AddWithValue("name", name);
            if (await update.ExecuteScalarAsync(ct) is not string department)
            {
                throw new ArgumentException($"unknown user '{name}'.");
            }

            await AuditLog.AppendAsync(connection, transaction, new AuditEntry(actor, department, "user.password_set", name, AuditOutcome.Ok), ct);
        }

        await transaction.CommitAsync(ct);
        _changes?.Changed();
    }

    /// <summary>
    /// Signs a user in to the portal: checks the password and issues a new API key of that user with the user's roles,
    /// valid for <paramref name="lifetime"/>. Both outcomes are audited (<c>user.signed_in</c>, ok or denied); an unknown
    /// user and a wrong password are refused alike, after the same work.
    /// </summary>
    /// <param name="name">The user name as typed.</param>
    /// <param name="password">The password as typed.</param>
    /// <param name="lifetime">How long the session key works.</param>
    /// <param name="remote">The client's address, for the audit log.</param>
    /// <param name="ct">Cancels the sign-in.</param>
    public async Task<SignInResult> SignInAsync(string name, string password, TimeSpan lifetime, string? remote, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(password);
        name = name.Trim();
        string? department = null, hash = null;
        var active = false;
        if (name.Length is > 0 and <= 63)
        {
            await using var command = _dataSource.CreateCommand("SELECT department, password_hash, active FROM datahub.app_user WHERE name = @name");
            command.Parameters.AddWithValue("name", name);
            await using var reader = await command.ExecuteReaderAsync(ct);
            if (await reader.ReadAsync(ct))
            {
                department = reader.GetString(0);
                hash = reader.IsDBNull(1) ? null : reader.GetString(1);
                active = reader.GetBoolean(2);
            }
        }

        var matches = PasswordHash.Verify(password, hash);
        var failure = !matches ? "unknown-or-wrong-password" : !active ? "user-inactive" : null;
        if (failure is not null)
        {
            await using var connection = await _dataSource.OpenConnectionAsync(ct);
            await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, ct);
            await AuditLog.AppendAsync(connection, transaction, new AuditEntry("portal", department, "user.signed_in", StoredName(name), AuditOutcome.Denied,
                new JsonObject { ["reason"] = failure, ["remote"] = remote }), ct);
            await transaction.CommitAsync(ct);
            return new SignInResult(null, failure);
        }

        var key = await CreateApiKeyAsync(department!, name, null, lifetime, "portal:" + name, ct);
        await using (var connection = await _dataSource.OpenConnectionAsync(ct))
        {
            await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, ct);
            await AuditLog.AppendAsync(connection, transaction, new AuditEntry("portal:" + name, department, "user.signed_in", name, AuditOutcome.Ok,
                new JsonObject { ["key"] = key.Key.Id, ["remote"] = remote }), ct);
            await transaction.CommitAsync(ct);
        }

        return new SignInResult(key, null);
    }

    /// <summary>A typed user name made safe to store in the audit log (printable, at most 63 characters).</summary>
    private static string StoredName(string name)
    {
        var printable = new string([.. name.Where(c => !char.IsControl(c) && !char.IsSurrogate(c)).Take(63)]);
        return printable.Length == 0 ? "(empty)" : printable;
    }

    /// <summary>Reads a user, or null.</summary>
    public async Task<ExchangeUser?> GetUserAsync(string name, CancellationToken ct)
    {
        await using var command = _dataSource.CreateCommand("SELECT name, department, display_name, roles, active FROM datahub.app_user WHERE name = @name");
        command.Parameters.AddWithValue("name", name);
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct)
            ? new ExchangeUser(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetFieldValue<string[]>(3), reader.GetBoolean(4))
            : null;
    }

    /// <summary>
    /// Creates an API key and returns its full text — the only time it is available: only a hash is stored.
    /// </summary>
    /// <param name="department">The department the key acts for.</param>
    /// <param name="user">The owning user (of that department), or null for a department key.</param>
    /// <param name="roles">
    /// The roles granted to the key; null gives a user's key the user's roles (and a department key none). A user's
    /// key cannot be granted a role its user does not hold.
    /// </param>
    /// <param name="lifetime">How long the key works; null for no expiry.</param>
    /// <param name="actor">Who creates the key (for the audit log).</param>
    /// <param name="ct">Cancels the creation.</param>
    /// <exception cref="ArgumentException">Unknown department, user or role, a user of another department, or a non-positive lifetime.</exception>
    public async Task<CreatedApiKey> CreateApiKeyAsync(
        string department, string? user, IReadOnlyList<string>? roles, TimeSpan? lifetime, string actor, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(department);
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        if (lifetime is { } l && l <= TimeSpan.Zero)
        {
            throw new ArgumentException("a key's lifetime must be positive.");
        }

        var granted = roles is null ? null : ExchangeRoles.Parse(string.Join(',', roles));
        await using var connection = await _dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, ct);
        await RequireDepartmentAsync(connection, transaction, department, ct);
        if (user is not null)
        {
            await using var read = new NpgsqlCommand("SELECT department, roles, active FROM datahub.app_user WHERE name = @name", connection, transaction);
            read.Parameters.AddWithValue("name", user);
            await using var reader = await read.ExecuteReaderAsync(ct);
            if (!await reader.ReadAsync(ct))
            {
                throw new ArgumentException($"unknown user '{user}'.");
            }

            var userDepartment = reader.GetString(0);
            var userRoles = reader.GetFieldValue<string[]>(1);
            if (userDepartment != department)
            {
                throw new ArgumentException($"user '{user}' belongs to department '{userDepartment}', not '{department}'.");
            }

            if (!reader.GetBoolean(2))
            {
                throw new ArgumentException($"user '{user}' is not active.");
            }

            granted ??= userRoles;
            if (granted.FirstOrDefault(r => !userRoles.Contains(r, StringComparer.Ordinal)) is { } extra)
            {
                throw new ArgumentException($"user '{user}' does not hold role '{extra}'; a user's key can only carry the user's roles.");
            }
        }

        granted ??= [];
        var id = RandomNumberGenerator.GetString(IdAlphabet, IdLength);
        var secret = RandomNumberGenerator.GetBytes(SecretBytes);
        ApiKeyInfo info;
        await using (var insert = new NpgsqlCommand(
            $"""
            INSERT INTO datahub.api_key (id, department, user_name, roles, secret_hash, expires_at)
            VALUES (@id, @department, @user, @roles, @hash, now() + @lifetime)
            RETURNING {KeyColumns}
            """, connection, transaction))
        {
            insert.Parameters.AddWithValue("id", id);
            insert.Parameters.AddWithValue("department", department);
            insert.Parameters.AddWithValue("user", (object?)user ?? DBNull.Value);
            insert.Parameters.AddWithValue("roles", granted.ToArray());
            insert.Parameters.AddWithValue("hash", HashSecret(id, secret));
            insert.Parameters.Add(new NpgsqlParameter<TimeSpan?>("lifetime", NpgsqlTypes.NpgsqlDbType.Interval) { TypedValue = lifetime });
            await using var reader = await insert.ExecuteReaderAsync(ct);
            await reader.ReadAsync(ct);
            info = ReadKey(reader);
        }

        await AuditLog.AppendAsync(connection, transaction, new AuditEntry(actor, department, "key.created", id, AuditOutcome.Ok,
            new JsonObject
            {
                ["user"] = user,
                ["roles"] = new JsonArray([.. granted.Select(r => JsonValue.Create(r))]),
                ["expiresAt"] = info.ExpiresAt?.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            }), ct);
        await transaction.CommitAsync(ct);
        _changes?.Changed();
        var text = KeyPrefix + id + "_" + Convert.ToHexStringLower(secret);
        CryptographicOperations.ZeroMemory(secret);
        return new CreatedApiKey(info, text);
    }

    /// <summary>Lists every key (never a secret: none is stored), newest first.</summary>
    public async Task<IReadOnlyList<ApiKeyInfo>> ListApiKeysAsync(CancellationToken ct)
    {
        await using var command = _dataSource.CreateCommand($"SELECT {KeyColumns} FROM datahub.api_key ORDER BY created_at DESC, id");
        await using var reader = await command.ExecuteReaderAsync(ct);
        var keys = new List<ApiKeyInfo>();
        while (await reader.ReadAsync(ct))
        {
            keys.Add(ReadKey(reader));
        }

        return keys;
    }

    /// <summary>Revokes a key: the next call with it is refused.</summary>
    /// <param name="id">The key's id (a whole key is accepted too; only its id is used).</param>
    /// <param name="actor">Who revokes the key (for the audit log).</param>
    /// <param name="ct">Cancels the revocation.</param>
    /// <returns>True when the key was revoked now; false when it already was.</returns>
    /// <exception cref="KeyNotFoundException">No key has that id.</exception>
    public async Task<bool> RevokeApiKeyAsync(string id, string actor, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        if (TryParse(id, out var parsedId, out _))
        {
            id = parsedId;
        }

        await using var connection = await _dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, ct);
        await using var command = new NpgsqlCommand(
            """
            SELECT department, revoked_at IS NOT NULL FROM datahub.api_key WHERE id = @id FOR UPDATE
            """, connection, transaction);
        command.Parameters.AddWithValue("id", id);
        string department;
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            if (!await reader.ReadAsync(ct))
            {
                throw new KeyNotFoundException($"no API key has id '{id}'.");
            }

            department = reader.GetString(0);
            if (reader.GetBoolean(1))
            {
                return false;
            }
        }

        await using (var update = new NpgsqlCommand("UPDATE datahub.api_key SET revoked_at = now() WHERE id = @id", connection, transaction))
        {
            update.Parameters.AddWithValue("id", id);
            await update.ExecuteNonQueryAsync(ct);
        }

        await AuditLog.AppendAsync(connection, transaction, new AuditEntry(actor, department, "key.revoked", id, AuditOutcome.Ok), ct);
        await transaction.CommitAsync(ct);
        _changes?.Changed();
        return true;
    }

    /// <summary>Checks a presented key (the text after <c>Bearer </c>) against the stored keys.</summary>
    /// <param name="bearer">The presented key.</param>
    /// <param name="ct">Cancels the check.</param>
    /// <returns>The caller, or why the key is refused; an expired or revoked key is reported as such only when its secret matches.</returns>
    public async Task<ApiKeyAuthentication> AuthenticateAsync(string? bearer, CancellationToken ct)
    {
        if (!TryParse(bearer, out var id, out var secret))
        {
            return new ApiKeyAuthentication(null, ApiKeyFailure.Malformed, null, null);
        }

        if (!_keys.TryGet(id, out var row))
        {
            var token = _keys.Token;
            var read = await ReadKeyAsync(id, ct);
            if (read is null)
            {
                // Spend the same hash as a known id would, so timing does not tell which ids exist.
                _ = CryptographicOperations.FixedTimeEquals(HashSecret(id, secret), new byte[32]);
                return new ApiKeyAuthentication(null, ApiKeyFailure.Unknown, id, null);
            }

            _keys.Keep(id, token, row = read);
        }

        var failure = !CryptographicOperations.FixedTimeEquals(HashSecret(id, secret), row.SecretHash) ? ApiKeyFailure.WrongSecret
            : row.Revoked ? ApiKeyFailure.Revoked
            : row.ExpiresAt is { } expires && expires <= _time.GetUtcNow() ? ApiKeyFailure.Expired
            : !row.UserActive ? ApiKeyFailure.UserInactive
            : (ApiKeyFailure?)null;
        return failure is not null
            ? new ApiKeyAuthentication(null, failure, id, row.Department)
            : new ApiKeyAuthentication(new ExchangeCaller(row.Department, row.User, row.Roles, id), null, id, row.Department);
    }

    /// <summary>A key's row with its user's state: the roles the key grants that its user (if any) still holds.</summary>
    private async Task<KeyRow?> ReadKeyAsync(string id, CancellationToken ct)
    {
        await using var command = _dataSource.CreateCommand(
            """
            SELECT k.department, k.user_name, k.secret_hash, k.expires_at, k.revoked_at IS NOT NULL,
                   coalesce(u.active, true),
                   CASE WHEN k.user_name IS NULL THEN k.roles
                        ELSE ARRAY(SELECT r FROM unnest(k.roles) AS r WHERE r = ANY (u.roles)) END
            FROM datahub.api_key AS k LEFT JOIN datahub.app_user AS u ON u.name = k.user_name
            WHERE k.id = @id
            """);
        command.Parameters.AddWithValue("id", id);
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
        {
            return null;
        }

        return new KeyRow(
            reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetFieldValue<byte[]>(2),
            reader.IsDBNull(3) ? null : reader.GetFieldValue<DateTimeOffset>(3), reader.GetBoolean(4), reader.GetBoolean(5), reader.GetFieldValue<string[]>(6));
    }

    /// <summary>Splits <c>dhk_&lt;id&gt;_&lt;64 hex&gt;</c> into the id and the secret's bytes.</summary>
    internal static bool TryParse(string? text, out string id, out byte[] secret)
    {
        id = string.Empty;
        secret = [];
        if (text is null || text.Length != KeyPrefix.Length + IdLength + 1 + (SecretBytes * 2)
            || !text.StartsWith(KeyPrefix, StringComparison.Ordinal) || text[KeyPrefix.Length + IdLength] != '_')
        {
            return false;
        }

        var candidate = text.Substring(KeyPrefix.Length, IdLength);
        var hex = text.AsSpan(KeyPrefix.Length + IdLength + 1);
        if (!candidate.All(c => IdAlphabet.Contains(c, StringComparison.Ordinal)) || !IsLowerHex(hex))
        {
            return false;
        }

        id = candidate;
        secret = Convert.FromHexString(hex);
        return true;
    }

    private static bool IsLowerHex(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c) && c is < 'a' or > 'f')
            {
                return false;
            }
        }

        return true;
    }

    private static byte[] HashSecret(string id, byte[] secret)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(Encoding.UTF8.GetBytes("datahub.apikey.v1:" + id + ":"));
        sha.AppendData(secret);
        return sha.GetHashAndReset();
    }

    private static ApiKeyInfo ReadKey(NpgsqlDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        reader.IsDBNull(2) ? null : reader.GetString(2),
        reader.GetFieldValue<string[]>(3),
        reader.GetFieldValue<DateTimeOffset>(4),
        reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5),
        reader.IsDBNull(6) ? null : reader.GetFieldValue<DateTimeOffset>(6));

    private static async Task RequireDepartmentAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string department, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("SELECT 1 FROM datahub.department WHERE code = @code", connection, transaction);
        command.Parameters.AddWithValue("code", department);
        if (await command.ExecuteScalarAsync(ct) is null)
        {
            throw new ArgumentException($"unknown department '{department}' (see catalog/departments.yaml).");
        }
    }
}
