using System.Text.Json;
using Npgsql;

namespace DataHub.Exchange.Requests;

/// <content>Reading requests: each party sees its own (requesting or providing department); the bureau sees all.</content>
public sealed partial class ExchangeService
{
    /// <summary>The requests the actor may see, newest first: filed by or addressed to their department, or all for a bureau_admin.</summary>
    /// <param name="actor">The reader.</param>
    /// <param name="status">Only requests in this status, or null for all.</param>
    /// <param name="ct">Cancels the read.</param>
    public async Task<IReadOnlyList<ExchangeRequestView>> ListRequestsAsync(ExchangeActor actor, string? status, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var all = await ReadRequestsAsync(null, status, ct);
        return [.. all.Where(r => MaySee(actor, r))];
    }

    /// <summary>One request, or null when it does not exist or the actor may not see it.</summary>
    /// <param name="actor">The reader.</param>
    /// <param name="id">The request.</param>
    /// <param name="ct">Cancels the read.</param>
    public async Task<ExchangeRequestView?> GetRequestAsync(ExchangeActor actor, long id, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var found = await ReadRequestsAsync(id, null, ct);
        return found.Count == 1 && MaySee(actor, found[0]) ? found[0] : null;
    }

    private static bool MaySee(ExchangeActor actor, ExchangeRequestView request) =>
        actor.Roles.Contains(BureauAdminRole) || actor.Department == request.RequestingDepartment || actor.Department == request.Provider;

    private async Task<List<ExchangeRequestView>> ReadRequestsAsync(long? id, string? status, CancellationToken ct)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(ct);
        var decisions = new Dictionary<long, List<ExchangeDecisionView>>();
        await using (var select = new NpgsqlCommand("""
            SELECT request_id, stage, actor, department, decision, reason, decided_at FROM datahub.exchange_decision
            WHERE @id::bigint IS NULL OR request_id = @id ORDER BY id
            """, connection))
        {
            select.Parameters.AddWithValue("id", NpgsqlTypes.NpgsqlDbType.Bigint, (object?)id ?? DBNull.Value);
            await using var reader = await select.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var key = reader.GetInt64(0);
                if (!decisions.TryGetValue(key, out var list))
                {
                    decisions[key] = list = [];
                }

                list.Add(new ExchangeDecisionView(reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetString(5), reader.GetFieldValue<DateTimeOffset>(6)));
            }
        }

        var requests = new List<ExchangeRequestView>();
        await using (var select = new NpgsqlCommand("""
            SELECT r.id, r.requesting_department, r.requesting_user, r.dataset, r.columns, r.row_filter::text, r.purpose, r.legal_basis, r.delivery,
                   r.period_from, r.period_until, r.status, r.status_reason, r.filed_at, r.due_date, r.plain_columns, g.id
            FROM datahub.exchange_request r LEFT JOIN datahub.exchange_grant g ON g.request_id = r.id
            WHERE (@id::bigint IS NULL OR r.id = @id) AND (@status::text IS NULL OR r.status = @status)
            ORDER BY r.id DESC
            """, connection))
        {
            select.Parameters.AddWithValue("id", NpgsqlTypes.NpgsqlDbType.Bigint, (object?)id ?? DBNull.Value);
            select.Parameters.AddWithValue("status", NpgsqlTypes.NpgsqlDbType.Text, (object?)status ?? DBNull.Value);
            await using var reader = await select.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var requestId = reader.GetInt64(0);
                var dataset = reader.GetString(3);
                requests.Add(new ExchangeRequestView(
                    requestId, reader.GetString(1), reader.GetString(2), dataset,
                    _catalog.TryGetDataset(dataset, out var d) ? d.ProviderCode : null,
                    reader.GetFieldValue<string[]>(4), ParseFilters(reader.GetString(5)), reader.GetString(6), reader.GetString(7), reader.GetString(8),
                    reader.GetFieldValue<DateOnly>(9), reader.GetFieldValue<DateOnly>(10), reader.GetString(11), reader.IsDBNull(12) ? null : reader.GetString(12),
                    reader.GetFieldValue<DateTimeOffset>(13), reader.IsDBNull(14) ? null : reader.GetFieldValue<DateOnly>(14), reader.GetFieldValue<string[]>(15),
                    reader.IsDBNull(16) ? null : reader.GetInt64(16), decisions.GetValueOrDefault(requestId) ?? []));
            }
        }

        return requests;
    }

    /// <summary>Reads a stored row filter (<c>[{field, operator, values}]</c>).</summary>
    /// <param name="json">The jsonb text.</param>
    public static IReadOnlyList<RowFilter> ParseFilters(string json)
    {
        using var document = JsonDocument.Parse(json);
        return [.. document.RootElement.EnumerateArray().Select(f => new RowFilter(
            f.GetProperty("field").GetString()!,
            f.GetProperty("operator").GetString()!,
            [.. f.GetProperty("values").EnumerateArray().Select(v => v.GetString()!)]))];
    }
}
