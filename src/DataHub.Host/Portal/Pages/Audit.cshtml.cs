using DataHub.Catalog.Audit;
using DataHub.Host.Platform;
using Microsoft.AspNetCore.Authorization;

namespace DataHub.Host.Portal.Pages;

/// <summary>The audit log (newest first) with the hash chain recomputed: intact, or the first broken row. bureau_admin.</summary>
[Authorize(Roles = "bureau_admin")]
public sealed class AuditModel(DataHubPlatform platform) : PortalPage(platform)
{
    /// <summary>Rows per page.</summary>
    public const int PageSize = 100;

    /// <summary>The chain check.</summary>
    public AuditVerification Verification { get; private set; } = null!;

    /// <summary>The rows shown.</summary>
    public IReadOnlyList<(long Seq, DateTimeOffset At, string Actor, string? Department, string Action, string? Target, string Outcome)> Rows { get; private set; } = [];

    /// <summary>Only this action.</summary>
    public string? Action { get; private set; }

    /// <summary>Rows before this sequence number (paging).</summary>
    public long? Before { get; private set; }

    /// <summary>Reads the page.</summary>
    public async Task OnGetAsync(string? action, long? before, CancellationToken ct)
    {
        Action = string.IsNullOrWhiteSpace(action) ? null : action.Trim();
        Before = before;
        Verification = await Platform.Audit.VerifyAsync(ct);
        await using var command = Platform.DataSource.CreateCommand(
            """
            SELECT seq, at, actor, department, action, target, outcome FROM datahub.audit_log
            WHERE (@action::text IS NULL OR action = @action) AND (@before::bigint IS NULL OR seq < @before)
            ORDER BY seq DESC LIMIT @limit
            """);
        command.Parameters.Add(new Npgsql.NpgsqlParameter<string?>("action", Action) { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new Npgsql.NpgsqlParameter<long?>("before", before) { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Bigint });
        command.Parameters.Add(new Npgsql.NpgsqlParameter<int>("limit", PageSize));
        await using var reader = await command.ExecuteReaderAsync(ct);
        var rows = new List<(long, DateTimeOffset, string, string?, string, string?, string)>();
        while (await reader.ReadAsync(ct))
        {
            rows.Add((reader.GetInt64(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetString(5), reader.GetString(6)));
        }

        Rows = rows;
    }
}
