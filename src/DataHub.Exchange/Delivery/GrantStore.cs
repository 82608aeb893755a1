using DataHub.Exchange.Identity;
using DataHub.Exchange.Requests;
using Npgsql;

namespace DataHub.Exchange.Delivery;

/// <summary>
/// Reads grants (migration 0010, plain columns and delivery from the request). With <paramref name="changes"/>
/// listening, what was read is kept in memory until any request or grant changes anywhere (a revocation drops every
/// copy before the revoking call returns, and on other nodes when its notification arrives).
/// </summary>
/// <param name="dataSource">The migrated catalog database.</param>
/// <param name="changes">Drops the copies; without it every read goes to PostgreSQL.</param>
public sealed class GrantStore(NpgsqlDataSource dataSource, AccessChanges? changes = null)
{
    private readonly AccessCache<long, GrantRecord?> _byId = new(changes);
    private readonly AccessCache<string, IReadOnlyList<GrantRecord>> _byDepartment = new(changes);

    private const string Select = """
        SELECT g.id, g.request_id, g.dataset, g.department, g.columns, g.row_filter::text, g.plain_columns, r.delivery,
               g.valid_from, g.valid_until, g.granted_at, g.revoked_at
        FROM datahub.exchange_grant g JOIN datahub.exchange_request r ON r.id = g.request_id
        """;

    private readonly NpgsqlDataSource _dataSource = dataSource ?? throw new ArgumentNullException(nameof(dataSource));

    /// <summary>One grant, or null when there is none with that id.</summary>
    /// <param name="id">The grant.</param>
    /// <param name="ct">Cancels the read.</param>
    public async Task<GrantRecord?> GetAsync(long id, CancellationToken ct)
    {
        if (_byId.TryGet(id, out var cached))
        {
            return cached;
        }

        var token = _byId.Token;
        var grant = await ReadAsync(id, ct);
        _byId.Keep(id, token, grant);
        return grant;
    }

    private async Task<GrantRecord?> ReadAsync(long id, CancellationToken ct)
    {
        await using var command = _dataSource.CreateCommand(Select + " WHERE g.id = @id");
        command.Parameters.AddWithValue("id", id);
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? Read(reader) : null;
    }

    /// <summary>The grants of a department (all departments when null), newest first.</summary>
    /// <param name="department">The department the grants are for, or null for every department.</param>
    /// <param name="ct">Cancels the read.</param>
    public async Task<IReadOnlyList<GrantRecord>> ListAsync(string? department, CancellationToken ct)
    {
        if (department is null)
        {
            return await ReadListAsync(null, ct);
        }

        if (_byDepartment.TryGet(department, out var cached))
        {
            return cached;
        }

        var token = _byDepartment.Token;
        var grants = await ReadListAsync(department, ct);
        _byDepartment.Keep(department, token, grants);
        return grants;
    }

    private async Task<IReadOnlyList<GrantRecord>> ReadListAsync(string? department, CancellationToken ct)
    {
        await using var command = _dataSource.CreateCommand(Select + " WHERE @department::text IS NULL OR g.department = @department ORDER BY g.id DESC");
        command.Parameters.AddWithValue("department", NpgsqlTypes.NpgsqlDbType.Text, (object?)department ?? DBNull.Value);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var grants = new List<GrantRecord>();
        while (await reader.ReadAsync(ct))
        {
            grants.Add(Read(reader));
        }

        return grants;
    }

    private static GrantRecord Read(NpgsqlDataReader reader)
    {
        var filters = ExchangeService.ParseFilters(reader.GetString(5));
        return new GrantRecord(
            reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2), reader.GetString(3), reader.GetFieldValue<string[]>(4), filters,
            reader.GetFieldValue<string[]>(6), reader.GetString(7), reader.GetFieldValue<DateOnly>(8), reader.GetFieldValue<DateOnly>(9),
            reader.GetFieldValue<DateTimeOffset>(10), reader.IsDBNull(11) ? null : reader.GetFieldValue<DateTimeOffset>(11));
    }
}
