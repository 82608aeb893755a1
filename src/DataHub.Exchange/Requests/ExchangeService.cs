using System.Data;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using DataHub.Catalog;
using DataHub.Catalog.Audit;
using DataHub.Exchange.Identity;
using Npgsql;

namespace DataHub.Exchange.Requests;

/// <summary>
/// Requests, decisions and grants of the sharing exchange (migration 0010). Every action, refused attempts included,
/// writes its audit row in the same transaction as its change.
/// </summary>
/// <remarks>
/// States: unconditional → granted at filing; not shareable → refused at filing; conditional → filed (due in
/// <see cref="ResponseWorkingDays"/> working days) → rejected, or approved: granted at once below sensitivity level 3,
/// otherwise approved_by_provider until a bureau_admin approves (granted) or rejects. Filed may become withdrawn
/// (requester's department) or escalated (overdue); an escalated request is still decided by the provider's approver.
/// </remarks>
/// <param name="dataSource">The migrated catalog database.</param>
/// <param name="catalog">The catalog the datasets come from.</param>
/// <param name="changes">Told of every committed change, so that copies of grants held in memory are dropped at once.</param>
/// <param name="responseWorkingDays">The working days a provider has to answer (10 by default; some cities use 5).</param>
public sealed partial class ExchangeService(NpgsqlDataSource dataSource, CatalogDefinitions catalog, int responseWorkingDays = 10, AccessChanges? changes = null)
{
    /// <summary>The role that decides for the providing department.</summary>
    public const string ApproverRole = "approver";

    /// <summary>The bureau's role: second approval from level 3, revocation.</summary>
    public const string BureauAdminRole = "bureau_admin";

    private readonly NpgsqlDataSource _dataSource = dataSource ?? throw new ArgumentNullException(nameof(dataSource));
    private readonly CatalogDefinitions _catalog = catalog ?? throw new ArgumentNullException(nameof(catalog));
    private readonly Dictionary<string, SubjectNodeDefinition> _attributes =
        catalog.Nodes.Where(n => n.Level == 5).ToDictionary(n => n.Code, StringComparer.Ordinal);

    /// <summary>The working days a provider has to answer a conditional request.</summary>
    public int ResponseWorkingDays { get; } = responseWorkingDays >= 1 ? responseWorkingDays : throw new ArgumentOutOfRangeException(nameof(responseWorkingDays));

    /// <summary>Files a request and applies its dataset's share type.</summary>
    /// <param name="actor">The requester.</param>
    /// <param name="draft">What is asked for.</param>
    /// <param name="today">The filing day (the SLA counts from it).</param>
    /// <param name="ct">Cancels the action.</param>
    /// <exception cref="ExchangeRefusedException">The request is invalid or asks for level-4 columns; the attempt is audited.</exception>
    public async Task<ExchangeResult> FileAsync(ExchangeActor actor, ExchangeRequestDraft draft, DateOnly today, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(draft);
        var problems = new List<string>();
        problems.AddRange(new[]
        {
            StoredText.Problem("purpose", draft.Purpose),
            StoredText.Problem("legal_basis", draft.LegalBasis),
        }.Concat(draft.Filters.SelectMany((f, i) => (f?.Values ?? []).Select((v, k) =>
            StoredText.Problem(string.Create(CultureInfo.InvariantCulture, $"filters[{i}].values[{k}]"), v)))).OfType<string>());
        if (!_catalog.TryGetDataset(draft.Dataset, out var dataset))
        {
            problems.Add($"dataset: '{draft.Dataset}' is not catalogued");
        }
        else
        {
            problems.AddRange(new ExchangeRequestValidator(dataset).Validate(draft).Errors.Select(e => $"{e.PropertyName}: {e.ErrorMessage}"));
            for (var i = 0; i < draft.Columns.Count; i++)
            {
                var name = draft.Columns[i];
                if (dataset.Columns.FirstOrDefault(c => c.Name == name) is { } column && LevelOf(dataset, column) >= 4)
                {
                    problems.Add(string.Create(CultureInfo.InvariantCulture, $"columns[{i}]: '{name}' is sensitivity level 4 ({column.L5NodeCode ?? "the dataset's level"}) and never leaves the platform; offer verification instead"));
                }
            }
        }

        if (!actor.Roles.Contains("requester"))
        {
            problems.Add($"actor: {actor.User} does not hold the requester role");
        }

        await using var connection = await _dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, ct);
        if (problems.Count > 0)
        {
            await AuditAsync(connection, transaction, actor, "request.filed", draft.Dataset, AuditOutcome.Denied, new JsonObject
            {
                ["problems"] = new JsonArray(problems.Select(p => (JsonNode?)p).ToArray()),
            }, ct);
            await transaction.CommitAsync(ct);
            changes?.Changed();
            throw new ExchangeRefusedException(problems, actor.Roles.Contains("requester") ? ExchangeRefusal.Invalid : ExchangeRefusal.Forbidden);
        }

        var (status, due, reason) = dataset!.ShareType switch
        {
            "unconditional" => (ExchangeStatus.Granted, (DateOnly?)null, (string?)"unconditional: automatic compliance check passed"),
            "not_shareable" => (ExchangeStatus.Refused, null, $"not shareable; legal basis: {dataset.ShareCondition}"),
            _ => (ExchangeStatus.Filed, WorkingDays.Add(today, ResponseWorkingDays), null),
        };

        long id;
        await using (var insert = new NpgsqlCommand("""
            INSERT INTO datahub.exchange_request (requesting_department, requesting_user, dataset, columns, row_filter, purpose,
                legal_basis, delivery, period_from, period_until, status, status_reason, due_date)
            VALUES (@department, @user, @dataset, @columns, @filter::jsonb, @purpose, @basis, @delivery, @from, @until, @status, @reason, @due)
            RETURNING id
            """, connection, transaction))
        {
            insert.Parameters.AddWithValue("department", actor.Department);
            insert.Parameters.AddWithValue("user", actor.User);
            insert.Parameters.AddWithValue("dataset", dataset.Name);
            insert.Parameters.AddWithValue("columns", draft.Columns.ToArray());
            insert.Parameters.AddWithValue("filter", FilterJson(draft.Filters));
            insert.Parameters.AddWithValue("purpose", draft.Purpose);
            insert.Parameters.AddWithValue("basis", draft.LegalBasis);
            insert.Parameters.AddWithValue("delivery", draft.Delivery);
            insert.Parameters.AddWithValue("from", draft.PeriodFrom);
            insert.Parameters.AddWithValue("until", draft.PeriodUntil);
            insert.Parameters.AddWithValue("status", status);
            insert.Parameters.AddWithValue("reason", (object?)reason ?? DBNull.Value);
            insert.Parameters.AddWithValue("due", due is { } d ? d : DBNull.Value);
            id = (long)(await insert.ExecuteScalarAsync(ct))!;
        }

        long? grantId = status == ExchangeStatus.Granted ? await GrantAsync(connection, transaction, id, ct) : null;
        await AuditAsync(connection, transaction, actor, "request.filed", RequestTarget(id),
            status == ExchangeStatus.Refused ? AuditOutcome.Denied : AuditOutcome.Ok, new JsonObject
            {
                ["dataset"] = dataset.Name,
                ["share_type"] = dataset.ShareType,
                ["status"] = status,
                ["reason"] = reason,
                ["due_date"] = due?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                ["grant_id"] = grantId,
            }, ct);
        await transaction.CommitAsync(ct);
        changes?.Changed();
        return new ExchangeResult(id, status, due, grantId, reason);
    }

    /// <summary>
    /// Approves or rejects a request: first an approver of the providing department, then — for datasets of
    /// sensitivity level 3 and up — a bureau_admin. Nobody decides on their own department's request.
    /// </summary>
    /// <param name="actor">The decider.</param>
    /// <param name="requestId">The request.</param>
    /// <param name="approve">True to approve, false to reject.</param>
    /// <param name="reason">Why; required (a refusal must give reasons).</param>
    /// <param name="ct">Cancels the action.</param>
    /// <exception cref="ExchangeRefusedException">The actor may not decide now; the attempt is audited.</exception>
    public Task<ExchangeResult> DecideAsync(ExchangeActor actor, long requestId, bool approve, string reason, CancellationToken ct) =>
        DecideAsync(actor, requestId, approve, reason, [], ct);

    /// <summary>
    /// Approves or rejects a request, the provider's approval naming the requested columns it lets leave unmasked
    /// (level-4 columns never do; the bureau's second approval keeps the provider's list).
    /// </summary>
    /// <param name="actor">The decider.</param>
    /// <param name="requestId">The request.</param>
    /// <param name="approve">True to approve, false to reject.</param>
    /// <param name="reason">Why; required.</param>
    /// <param name="plainColumns">Requested columns shown in plain; only an approving provider may name them.</param>
    /// <param name="ct">Cancels the action.</param>
    /// <exception cref="ExchangeRefusedException">The actor may not decide now or a plain column is not requested; audited.</exception>
    public async Task<ExchangeResult> DecideAsync(ExchangeActor actor, long requestId, bool approve, string reason, IReadOnlyList<string> plainColumns, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(plainColumns);
        await using var connection = await _dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, ct);
        var request = await LockAsync(connection, transaction, requestId, ct);
        var dataset = request is null ? null : _catalog.TryGetDataset(request.Dataset, out var d) ? d : null;
        (string, ExchangeRefusal)? problem = null;
        string? stage = null;
        string? role = null;
        if (request is null || dataset is null)
        {
            problem = ($"request {requestId} does not exist", ExchangeRefusal.NotFound);
        }
        else if (string.IsNullOrWhiteSpace(reason))
        {
            problem = ("reason: a decision must give its reasons", ExchangeRefusal.Invalid);
        }
        else if (StoredText.Problem("reason", reason) is { } text)
        {
            problem = (text, ExchangeRefusal.Invalid);
        }
        else if (actor.Department == request.Department)
        {
            problem = ($"{actor.User} of {actor.Department} may not decide on a request of their own department", ExchangeRefusal.Forbidden);
        }
        else if (request.Status is ExchangeStatus.Filed or ExchangeStatus.Escalated)
        {
            (stage, role) = ("provider", ApproverRole);
            if (!(actor.Roles.Contains(ApproverRole) && actor.Department == dataset.ProviderCode))
            {
                problem = ($"only an approver of the providing department {dataset.ProviderCode} decides first", ExchangeRefusal.Forbidden);
            }
            else if (plainColumns.Any(c => c is null || !request.Columns.Contains(c)))
            {
                var stray = plainColumns.First(c => c is null || !request.Columns.Contains(c)) ?? "null";
                problem = ($"plain_columns: '{stray}' is not among the requested columns", ExchangeRefusal.Invalid);
            }
            else if (!approve && plainColumns.Count > 0)
            {
                problem = ("plain_columns: a rejection shows nothing in plain", ExchangeRefusal.Invalid);
            }
        }
        else if (request.Status is ExchangeStatus.ApprovedByProvider)
        {
            (stage, role) = ("bureau", BureauAdminRole);
            if (!actor.Roles.Contains(BureauAdminRole))
            {
                problem = ($"sensitivity level {dataset.Sensitivity}: the second approval is a bureau_admin's", ExchangeRefusal.Forbidden);
            }
            else if (plainColumns.Count > 0)
            {
                problem = ("plain_columns: only the providing department's approval names plain columns", ExchangeRefusal.Invalid);
            }
        }
        else
        {
            problem = ($"request {requestId} is {request.Status}; nothing to decide", ExchangeRefusal.Conflict);
        }

        if (problem is { } refused)
        {
            await DenyAsync(connection, transaction, actor, "request.decided", RequestTarget(requestId), refused, ct);
        }

        if (stage == "provider" && approve)
        {
            await using var plain = new NpgsqlCommand(
                "UPDATE datahub.exchange_request SET plain_columns = @plain WHERE id = @id", connection, transaction);
            plain.Parameters.AddWithValue("id", requestId);
            plain.Parameters.AddWithValue("plain", plainColumns.Distinct(StringComparer.Ordinal).ToArray());
            await plain.ExecuteNonQueryAsync(ct);
        }

        await using (var insert = new NpgsqlCommand("""
            INSERT INTO datahub.exchange_decision (request_id, actor, department, role, decision, reason, stage)
            VALUES (@id, @actor, @department, @role, @decision, @reason, @stage)
            """, connection, transaction))
        {
            insert.Parameters.AddWithValue("id", requestId);
            insert.Parameters.AddWithValue("actor", actor.User);
            insert.Parameters.AddWithValue("department", actor.Department);
            insert.Parameters.AddWithValue("role", role!);
            insert.Parameters.AddWithValue("decision", approve ? "approve" : "reject");
            insert.Parameters.AddWithValue("reason", reason);
            insert.Parameters.AddWithValue("stage", stage!);
            await insert.ExecuteNonQueryAsync(ct);
        }

        var status = !approve ? ExchangeStatus.Rejected
            : stage == "provider" && dataset!.Sensitivity >= 3 ? ExchangeStatus.ApprovedByProvider
            : ExchangeStatus.Granted;
        await SetStatusAsync(connection, transaction, requestId, status, approve ? null : reason, ct);
        long? grantId = status == ExchangeStatus.Granted ? await GrantAsync(connection, transaction, requestId, ct) : null;
        await AuditAsync(connection, transaction, actor, "request.decided", RequestTarget(requestId), AuditOutcome.Ok, new JsonObject
        {
            ["stage"] = stage, ["decision"] = approve ? "approve" : "reject", ["reason"] = reason, ["status"] = status, ["grant_id"] = grantId,
            ["plain_columns"] = new JsonArray([.. plainColumns.Select(c => JsonValue.Create(c))]),
        }, ct);
        await transaction.CommitAsync(ct);
        changes?.Changed();
        return new ExchangeResult(requestId, status, null, grantId, approve ? null : reason);
    }

    /// <summary>Withdraws a request not yet decided; only the requesting department may.</summary>
    /// <param name="actor">A member of the requesting department.</param>
    /// <param name="requestId">The request.</param>
    /// <param name="ct">Cancels the action.</param>
    /// <exception cref="ExchangeRefusedException">Another department, or already decided; audited.</exception>
    public async Task<ExchangeResult> WithdrawAsync(ExchangeActor actor, long requestId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await using var connection = await _dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, ct);
        var request = await LockAsync(connection, transaction, requestId, ct);
        (string, ExchangeRefusal)? problem = request is null ? ($"request {requestId} does not exist", ExchangeRefusal.NotFound)
            : request.Department != actor.Department ? ($"only the requesting department {request.Department} may withdraw", ExchangeRefusal.Forbidden)
            : request.Status is not (ExchangeStatus.Filed or ExchangeStatus.Escalated) ? ($"request {requestId} is {request.Status}; too late to withdraw", ExchangeRefusal.Conflict)
            : null;
        if (problem is { } refused)
        {
            await DenyAsync(connection, transaction, actor, "request.withdrawn", RequestTarget(requestId), refused, ct);
        }

        await SetStatusAsync(connection, transaction, requestId, ExchangeStatus.Withdrawn, null, ct);
        await AuditAsync(connection, transaction, actor, "request.withdrawn", RequestTarget(requestId), AuditOutcome.Ok, null, ct);
        await transaction.CommitAsync(ct);
        changes?.Changed();
        return new ExchangeResult(requestId, ExchangeStatus.Withdrawn, null, null, null);
    }

    /// <summary>Revokes a grant at once; an approver of the providing department or a bureau_admin may.</summary>
    /// <param name="actor">The revoker.</param>
    /// <param name="grantId">The grant.</param>
    /// <param name="reason">Why.</param>
    /// <param name="ct">Cancels the action.</param>
    /// <exception cref="ExchangeRefusedException">Not allowed, unknown or already revoked; audited.</exception>
    public async Task RevokeGrantAsync(ExchangeActor actor, long grantId, string reason, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await using var connection = await _dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, ct);
        string? datasetName = null;
        var revoked = false;
        await using (var select = new NpgsqlCommand("SELECT dataset, revoked_at IS NOT NULL FROM datahub.exchange_grant WHERE id = @id FOR UPDATE", connection, transaction))
        {
            select.Parameters.AddWithValue("id", grantId);
            await using var reader = await select.ExecuteReaderAsync(ct);
            if (await reader.ReadAsync(ct))
            {
                datasetName = reader.GetString(0);
                revoked = reader.GetBoolean(1);
            }
        }

        var provider = datasetName is not null && _catalog.TryGetDataset(datasetName, out var dataset) ? dataset.ProviderCode : null;
        (string, ExchangeRefusal)? problem = datasetName is null ? ($"grant {grantId} does not exist", ExchangeRefusal.NotFound)
            : !(actor.Roles.Contains(BureauAdminRole) || (actor.Roles.Contains(ApproverRole) && actor.Department == provider))
                ? ($"only an approver of {provider} or a bureau_admin may revoke", ExchangeRefusal.Forbidden)
            : revoked ? ($"grant {grantId} is already revoked", ExchangeRefusal.Conflict)
            : string.IsNullOrWhiteSpace(reason) ? ("reason: a revocation must give its reasons", ExchangeRefusal.Invalid)
            : StoredText.Problem("reason", reason) is { } text ? (text, ExchangeRefusal.Invalid)
            : null;
        var target = string.Create(CultureInfo.InvariantCulture, $"grant:{grantId}");
        if (problem is { } refused)
        {
            await DenyAsync(connection, transaction, actor, "grant.revoked", target, refused, ct);
        }

        await using (var update = new NpgsqlCommand(
            "UPDATE datahub.exchange_grant SET revoked_at = clock_timestamp(), revoked_by = @by, revoke_reason = @reason WHERE id = @id", connection, transaction))
        {
            update.Parameters.AddWithValue("id", grantId);
            update.Parameters.AddWithValue("by", actor.User);
            update.Parameters.AddWithValue("reason", reason);
            await update.ExecuteNonQueryAsync(ct);
        }

        await AuditAsync(connection, transaction, actor, "grant.revoked", target, AuditOutcome.Ok, new JsonObject { ["reason"] = reason }, ct);
        await transaction.CommitAsync(ct);
        changes?.Changed();
    }

    /// <summary>Escalates to the bureau every filed request whose due date has passed.</summary>
    /// <param name="today">The day it runs; a request due today is not yet overdue.</param>
    /// <param name="ct">Cancels the action.</param>
    /// <returns>The escalated request ids.</returns>
    public async Task<IReadOnlyList<long>> EscalateOverdueAsync(DateOnly today, CancellationToken ct)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, ct);
        var ids = new List<long>();
        await using (var update = new NpgsqlCommand("""
            UPDATE datahub.exchange_request SET status = 'escalated', updated_at = clock_timestamp(),
                status_reason = 'the provider did not answer by ' || to_char(due_date, 'YYYY-MM-DD')
            WHERE status = 'filed' AND due_date < @today RETURNING id
            """, connection, transaction))
        {
            update.Parameters.AddWithValue("today", today);
            await using var reader = await update.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                ids.Add(reader.GetInt64(0));
            }
        }

        foreach (var id in ids.Order())
        {
            await AuditAsync(connection, transaction, new ExchangeActor("bureau", "system", new HashSet<string>()), "request.escalated",
                RequestTarget(id), AuditOutcome.Ok, new JsonObject { ["today"] = today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) }, ct);
        }

        await transaction.CommitAsync(ct);
        changes?.Changed();
        return ids;
    }

    private int LevelOf(DatasetDefinition dataset, DatasetColumnDefinition column) =>
        column.L5NodeCode is not null && _attributes.TryGetValue(column.L5NodeCode, out var a) && a.Sensitivity is { } level ? level : dataset.Sensitivity;

    private static string RequestTarget(long id) => string.Create(CultureInfo.InvariantCulture, $"request:{id}");

    private static string FilterJson(IReadOnlyList<RowFilter> filters) =>
        JsonSerializer.Serialize(filters.Select(f => new JsonObject
        {
            ["field"] = f.Field, ["operator"] = f.Operator, ["values"] = new JsonArray(f.Values.Select(v => (JsonNode?)v).ToArray()),
        }).ToList());

    private static Task<AuditRecord> AuditAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, ExchangeActor actor, string action, string target, AuditOutcome outcome, JsonObject? detail, CancellationToken ct) =>
        AuditLog.AppendAsync(connection, transaction, new AuditEntry(actor.User, actor.Department, action, target, outcome, detail), ct);

    /// <summary>Audits a refused attempt, commits (only the audit row) and throws.</summary>
    private static async Task DenyAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, ExchangeActor actor, string action, string target, (string Text, ExchangeRefusal Kind) problem, CancellationToken ct)
    {
        await AuditAsync(connection, transaction, actor, action, target, AuditOutcome.Denied, new JsonObject { ["problem"] = problem.Text }, ct);
        await transaction.CommitAsync(ct);
        throw new ExchangeRefusedException([problem.Text], problem.Kind);
    }

    private sealed record LockedRequest(string Department, string Dataset, string Status, string[] Columns);

    private static async Task<LockedRequest?> LockAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long id, CancellationToken ct)
    {
        await using var select = new NpgsqlCommand(
            "SELECT requesting_department, dataset, status, columns FROM datahub.exchange_request WHERE id = @id FOR UPDATE", connection, transaction);
        select.Parameters.AddWithValue("id", id);
        await using var reader = await select.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? new LockedRequest(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetFieldValue<string[]>(3)) : null;
    }

    private static async Task SetStatusAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long id, string status, string? reason, CancellationToken ct)
    {
        await using var update = new NpgsqlCommand(
            "UPDATE datahub.exchange_request SET status = @status, status_reason = @reason, updated_at = clock_timestamp() WHERE id = @id", connection, transaction);
        update.Parameters.AddWithValue("id", id);
        update.Parameters.AddWithValue("status", status);
        update.Parameters.AddWithValue("reason", (object?)reason ?? DBNull.Value);
        await update.ExecuteNonQueryAsync(ct);
    }

    private static async Task<long> GrantAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long requestId, CancellationToken ct)
    {
        await using var insert = new NpgsqlCommand("""
            INSERT INTO datahub.exchange_grant (request_id, dataset, department, columns, row_filter, plain_columns, valid_from, valid_until)
            SELECT id, dataset, requesting_department, columns, row_filter, plain_columns, period_from, period_until
            FROM datahub.exchange_request WHERE id = @id
            RETURNING id
            """, connection, transaction);
        insert.Parameters.AddWithValue("id", requestId);
        return (long)(await insert.ExecuteScalarAsync(ct))!;
    }
}
