using DataHub.Exchange.Requests;
using Npgsql;

namespace DataHub.Exchange.Delivery;

/// <summary>Reads grants (migration 0010, plain columns and delivery from the request).</summary>
/// <param name="dataSource">The migrated catalog database.</param>
public sealed class GrantStore(NpgsqlDataSource dataSource)
{
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
