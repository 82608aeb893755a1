using System.Data;
using System.Globalization;
using System.Text.Json.Nodes;
using DataHub.Catalog.Audit;
using DataHub.Exchange.Identity;
using DataHub.Exchange.Requests;
using Npgsql;

namespace DataHub.Exchange.Demands;

/// <summary>
/// The data-demand list (数据供需对接, migration 0011): a department posts a need for data the catalog does not hold
/// yet, the bureau assigns it to a providing department, which fulfils it with a catalogued dataset or declines it.
/// Every change writes its history row and its audit row in one transaction; every refused attempt is audited
/// (outcome <c>denied</c>) before <see cref="ExchangeRefusedException"/> is thrown.
/// </summary>
/// <remarks>
/// <para>States (<see cref="DemandStatus"/>) and who moves them:</para>
/// <list type="bullet">
/// <item><description>post → <c>open</c>: a requester, for their own department.</description></item>
/// <item><description>assign: <c>open</c> or <c>assigned</c> → <c>assigned</c> (reassigning before work starts): a bureau_admin; the
/// provider must be a known department other than the requesting one; the due date, if any, not in the past.</description></item>
/// <item><description>start: <c>assigned</c> → <c>in_progress</c>; fulfil: <c>assigned</c> or <c>in_progress</c> →
/// <c>fulfilled</c> with a catalogued dataset of the assigned provider; decline (reason required): <c>assigned</c> or
/// <c>in_progress</c> → <c>declined</c> — an approver of the assigned provider or a bureau_admin. A bureau_admin may also
/// decline an <c>open</c> demand.</description></item>
/// <item><description>withdraw: <c>open</c>, <c>assigned</c> or <c>in_progress</c> → <c>withdrawn</c>: a requester of the
/// requesting department.</description></item>
/// </list>
/// <para>
/// A department sees the demands it posted and those assigned to it; a bureau_admin sees all. Refusals are classed
/// (<see cref="ExchangeRefusal"/>) and checked in the order unknown, not allowed, wrong state, invalid input.
/// </para>
/// </remarks>
/// <param name="dataSource">The migrated catalog database (departments and datasets applied).</param>
/// <param name="time">The clock that gives "today" for due dates; <see cref="TimeProvider.System"/> when null.</param>
public sealed class DemandService(NpgsqlDataSource dataSource, TimeProvider? time = null)
{
    private const string Columns = """
        id, requesting_department, requesting_user, title, description, wanted_fields, purpose, legal_basis, status,
        assigned_provider, assigned_by, due_date, fulfilled_dataset, status_reason, posted_at, updated_at,
        coalesce(due_date < @today AND status IN ('assigned', 'in_progress'), false)
        """;

    private readonly NpgsqlDataSource _dataSource = dataSource ?? throw new ArgumentNullException(nameof(dataSource));
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>Today in the clock's local time zone.</summary>
    public DateOnly Today => DateOnly.FromDateTime(_time.GetLocalNow().DateTime);

    /// <summary>Posts a demand for the actor's department.</summary>
    /// <param name="actor">A requester.</param>
    /// <param name="draft">The need.</param>
    /// <param name="ct">Cancels the action.</param>
    /// <returns>The open demand.</returns>
    /// <exception cref="ExchangeRefusedException">Not a requester, or the draft is invalid (every field named); audited.</exception>
    public async Task<Demand> PostAsync(ExchangeActor actor, DemandDraft draft, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(draft);
        await using var connection = await _dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, ct);
        if (!actor.Roles.Contains(ExchangeRoles.Requester))
        {
            throw await RefuseAsync(connection, transaction, actor, "demand.posted", null, ExchangeRefusal.Forbidden,
                [$"{actor.User} does not hold the requester role"], ct);
        }

        var problems = new DemandDraftValidator().Validate(draft).Errors.Select(e => $"{e.PropertyName}: {e.ErrorMessage}").ToList();
        if (problems.Count > 0)
        {
            throw await RefuseAsync(connection, transaction, actor, "demand.posted", null, ExchangeRefusal.Invalid, problems, ct);
        }

        var fields = draft.WantedFields.Select(f => f.Trim()).ToArray();
        long id;
        await using (var insert = new NpgsqlCommand("""
            INSERT INTO datahub.exchange_demand (requesting_department, requesting_user, title, description, wanted_fields, purpose, legal_basis)
            VALUES (@department, @user, @title, @description, @fields, @purpose, @basis)
            RETURNING id
            """, connection, transaction))
        {
            insert.Parameters.AddWithValue("department", actor.Department);
            insert.Parameters.AddWithValue("user", actor.User);
            insert.Parameters.AddWithValue("title", draft.Title.Trim());
            insert.Parameters.AddWithValue("description", draft.Description.Trim());
            insert.Parameters.AddWithValue("fields", fields);
            insert.Parameters.AddWithValue("purpose", draft.Purpose.Trim());
            insert.Parameters.AddWithValue("basis", draft.LegalBasis.Trim());
            id = (long)(await insert.ExecuteScalarAsync(ct))!;
        }

        var audit = await AuditAsync(connection, transaction, actor, "demand.posted", Target(id), AuditOutcome.Ok, new JsonObject
        {
            ["title"] = draft.Title.Trim(),
            ["wanted_fields"] = new JsonArray([.. fields.Select(f => JsonValue.Create(f))]),
            ["status"] = DemandStatus.Open,
        }, ct);
        await RecordAsync(connection, transaction, id, actor, "posted", null, DemandStatus.Open, null, null, null, null, audit.Seq, ct);
        var demand = (await ReadAsync(connection, transaction, id, forUpdate: false, ct))!;
        await transaction.CommitAsync(ct);
        return demand;
    }

    /// <summary>Assigns (or, before work starts, reassigns) a demand to a providing department.</summary>
    /// <param name="actor">A bureau_admin.</param>
    /// <param name="id">The demand.</param>
    /// <param name="provider">The providing department's code: known, and not the requesting department.</param>
    /// <param name="dueDate">When the provider is to have fulfilled it; null for no date. Not before today.</param>
    /// <param name="note">An optional note.</param>
    /// <param name="ct">Cancels the action.</param>
    /// <returns>The assigned demand.</returns>
    /// <exception cref="ExchangeRefusedException">Unknown, not a bureau_admin, already started or closed, or an invalid provider or date; audited.</exception>
    public Task<Demand> AssignAsync(ExchangeActor actor, long id, string provider, DateOnly? dueDate, string? note, CancellationToken ct) =>
        ChangeAsync(actor, id, "assigned", async (connection, transaction, demand) =>
        {
            if (!actor.Roles.Contains(ExchangeRoles.BureauAdmin))
            {
                return Refusal.Forbidden("only a bureau_admin assigns demands");
            }

            if (demand.Status is not (DemandStatus.Open or DemandStatus.Assigned))
            {
                return Refusal.Conflict($"demand {id} is {demand.Status}; only an open or assigned demand can be (re)assigned");
            }

            var problems = new List<string>();
            if (string.IsNullOrWhiteSpace(provider))
            {
                problems.Add("provider: name the providing department");
            }
            else if (provider == demand.RequestingDepartment)
            {
                problems.Add($"provider: {provider} posted the demand and cannot be assigned to provide it");
            }
            else if (!await DepartmentExistsAsync(connection, transaction, provider, ct))
            {
                problems.Add($"provider: '{provider}' is not a known department");
            }

            if (dueDate is { } due && due < Today)
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture, $"dueDate: {due:yyyy-MM-dd} is in the past (today is {Today:yyyy-MM-dd})"));
            }

            return problems.Count > 0
                ? new Refusal(ExchangeRefusal.Invalid, problems)
                : new Change(DemandStatus.Assigned, Clean(note), Provider: provider, DueDate: dueDate);
        }, ct);

    /// <summary>Marks an assigned demand as being worked on.</summary>
    /// <param name="actor">An approver of the assigned provider, or a bureau_admin.</param>
    /// <param name="id">The demand.</param>
    /// <param name="note">An optional note.</param>
    /// <param name="ct">Cancels the action.</param>
    /// <returns>The demand in progress.</returns>
    /// <exception cref="ExchangeRefusedException">Unknown, not allowed, or not assigned; audited.</exception>
    public Task<Demand> StartAsync(ExchangeActor actor, long id, string? note, CancellationToken ct) =>
        ChangeAsync(actor, id, "started", (_, _, demand) =>
        {
            Outcome outcome = ProviderRefusal(actor, demand) is { } refused ? refused
                : demand.Status != DemandStatus.Assigned ? Refusal.Conflict($"demand {id} is {demand.Status}; only an assigned demand can be started")
                : new Change(DemandStatus.InProgress, Clean(note));
            return Task.FromResult(outcome);
        }, ct);

    /// <summary>Fulfils a demand with a catalogued dataset of the assigned provider.</summary>
    /// <param name="actor">An approver of the assigned provider, or a bureau_admin.</param>
    /// <param name="id">The demand.</param>
    /// <param name="dataset">The catalogued dataset (schema.table) that meets the need.</param>
    /// <param name="note">An optional note.</param>
    /// <param name="ct">Cancels the action.</param>
    /// <returns>The fulfilled demand.</returns>
    /// <exception cref="ExchangeRefusedException">Unknown, not allowed, not assigned or in progress, or the dataset is not catalogued for the provider; audited.</exception>
    public Task<Demand> FulfilAsync(ExchangeActor actor, long id, string dataset, string? note, CancellationToken ct) =>
        ChangeAsync(actor, id, "fulfilled", async (connection, transaction, demand) =>
        {
            if (ProviderRefusal(actor, demand) is { } refused)
            {
                return refused;
            }

            if (demand.Status is not (DemandStatus.Assigned or DemandStatus.InProgress))
            {
                return Refusal.Conflict($"demand {id} is {demand.Status}; only an assigned or in-progress demand can be fulfilled");
            }

            if (string.IsNullOrWhiteSpace(dataset))
            {
                return Refusal.Invalid("dataset: name the catalogued dataset that fulfils the demand");
            }

            var providerOf = await DatasetProviderAsync(connection, transaction, dataset, ct);
            return providerOf is null ? Refusal.Invalid($"dataset: '{dataset}' is not catalogued")
                : providerOf != demand.AssignedProvider
                    ? Refusal.Invalid($"dataset: '{dataset}' is provided by {providerOf}, not by the assigned provider {demand.AssignedProvider}")
                : new Change(DemandStatus.Fulfilled, Clean(note), Dataset: dataset);
        }, ct);

    /// <summary>Declines a demand, with reasons.</summary>
    /// <param name="actor">An approver of the assigned provider, or a bureau_admin (who may also decline an open demand).</param>
    /// <param name="id">The demand.</param>
    /// <param name="reason">Why; required.</param>
    /// <param name="ct">Cancels the action.</param>
    /// <returns>The declined demand.</returns>
    /// <exception cref="ExchangeRefusedException">Unknown, not allowed, already closed, or no reason; audited.</exception>
    public Task<Demand> DeclineAsync(ExchangeActor actor, long id, string reason, CancellationToken ct) =>
        ChangeAsync(actor, id, "declined", (_, _, demand) =>
        {
            var refused = demand.Status == DemandStatus.Open && !actor.Roles.Contains(ExchangeRoles.BureauAdmin)
                ? Refusal.Forbidden($"demand {id} is not assigned yet; only a bureau_admin may decline it")
                : ProviderRefusal(actor, demand);
            Outcome outcome = refused is not null ? refused
                : DemandStatus.IsFinal(demand.Status) ? Refusal.Conflict($"demand {id} is {demand.Status}; it can no longer be declined")
                : string.IsNullOrWhiteSpace(reason) ? Refusal.Invalid("reason: a decline must give its reasons")
                : new Change(DemandStatus.Declined, reason.Trim());
            return Task.FromResult(outcome);
        }, ct);

    /// <summary>Withdraws a demand that is not closed yet.</summary>
    /// <param name="actor">A requester of the requesting department.</param>
    /// <param name="id">The demand.</param>
    /// <param name="reason">Why; optional.</param>
    /// <param name="ct">Cancels the action.</param>
    /// <returns>The withdrawn demand.</returns>
    /// <exception cref="ExchangeRefusedException">Unknown, another department, or already fulfilled, declined or withdrawn; audited.</exception>
    public Task<Demand> WithdrawAsync(ExchangeActor actor, long id, string? reason, CancellationToken ct) =>
        ChangeAsync(actor, id, "withdrawn", (_, _, demand) =>
        {
            Outcome outcome = actor.Department != demand.RequestingDepartment || !actor.Roles.Contains(ExchangeRoles.Requester)
                ? Refusal.Forbidden($"only a requester of the requesting department {demand.RequestingDepartment} may withdraw")
                : DemandStatus.IsFinal(demand.Status) ? Refusal.Conflict($"demand {id} is {demand.Status}; too late to withdraw")
                : new Change(DemandStatus.Withdrawn, Clean(reason));
            return Task.FromResult(outcome);
        }, ct);

    /// <summary>One demand with its history, if the actor may see it.</summary>
    /// <param name="actor">The reader.</param>
    /// <param name="id">The demand.</param>
    /// <param name="ct">Cancels the read.</param>
    /// <returns>The demand and its state changes, oldest first.</returns>
    /// <exception cref="ExchangeRefusedException">Unknown, or neither posted by nor assigned to the actor's department (unless a bureau_admin); audited.</exception>
    public async Task<DemandDetail> GetAsync(ExchangeActor actor, long id, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await using var connection = await _dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, ct);
        var demand = await ReadAsync(connection, transaction, id, forUpdate: false, ct);
        if (demand is null)
        {
            throw await RefuseAsync(connection, transaction, actor, "demand.viewed", Target(id), ExchangeRefusal.NotFound, [$"demand {id} does not exist"], ct);
        }

        if (!MaySee(actor, demand))
        {
            throw await RefuseAsync(connection, transaction, actor, "demand.viewed", Target(id), ExchangeRefusal.Forbidden,
                [$"demand {id} is neither posted by nor assigned to {actor.Department}"], ct);
        }

        var history = new List<DemandEvent>();
        await using (var select = new NpgsqlCommand("""
            SELECT at, actor, department, action, from_status, to_status, provider, due_date, dataset, note, audit_seq
            FROM datahub.exchange_demand_event WHERE demand_id = @id ORDER BY id
            """, connection, transaction))
        {
            select.Parameters.AddWithValue("id", id);
            await using var reader = await select.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                history.Add(new DemandEvent(
                    reader.GetDateTime(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), Text(reader, 4), reader.GetString(5),
                    Text(reader, 6), reader.IsDBNull(7) ? null : reader.GetFieldValue<DateOnly>(7), Text(reader, 8), Text(reader, 9), reader.GetInt64(10)));
            }
        }

        await transaction.CommitAsync(ct);
        return new DemandDetail(demand, history);
    }

    /// <summary>The demands the actor may see (own department's and those assigned to it; all for a bureau_admin), newest first.</summary>
    /// <param name="actor">The reader.</param>
    /// <param name="filter">Status, department (posting or assigned) and limit.</param>
    /// <param name="ct">Cancels the read.</param>
    /// <returns>The demands.</returns>
    /// <exception cref="ExchangeRefusedException">An unknown status or a limit out of range; audited.</exception>
    public async Task<IReadOnlyList<Demand>> ListAsync(ExchangeActor actor, DemandFilter filter, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(filter);
        await using var connection = await _dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, ct);
        var problems = new List<string>();
        if (filter.Status is { } status && !DemandStatus.All.Contains(status))
        {
            problems.Add($"status: '{status}' is not one of {string.Join(", ", DemandStatus.All)}");
        }

        if (filter.Limit is < 1 or > DemandFilter.MaxLimit)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"limit: {filter.Limit} is not between 1 and {DemandFilter.MaxLimit}"));
        }

        if (problems.Count > 0)
        {
            throw await RefuseAsync(connection, transaction, actor, "demand.listed", null, ExchangeRefusal.Invalid, problems, ct);
        }

        var demands = new List<Demand>();
        await using (var select = new NpgsqlCommand($"""
            SELECT {Columns} FROM datahub.exchange_demand
            WHERE (@all OR requesting_department = @me OR assigned_provider = @me)
              AND (@status::text IS NULL OR status = @status)
              AND (@department::text IS NULL OR requesting_department = @department OR assigned_provider = @department)
            ORDER BY id DESC LIMIT @limit
            """, connection, transaction))
        {
            select.Parameters.AddWithValue("today", Today);
            select.Parameters.AddWithValue("all", actor.Roles.Contains(ExchangeRoles.BureauAdmin));
            select.Parameters.AddWithValue("me", actor.Department);
            select.Parameters.AddWithValue("status", (object?)filter.Status ?? DBNull.Value);
            select.Parameters.AddWithValue("department", (object?)filter.Department ?? DBNull.Value);
            select.Parameters.AddWithValue("limit", filter.Limit);
            await using var reader = await select.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                demands.Add(ToDemand(reader));
            }
        }

        await transaction.CommitAsync(ct);
        return demands;
    }

    /// <summary>What an action decided: a change to apply, or a refusal.</summary>
    private abstract record Outcome;

    /// <summary>The new state and what comes with it.</summary>
    private sealed record Change(string Status, string? Note, string? Provider = null, DateOnly? DueDate = null, string? Dataset = null) : Outcome;

    private sealed record Refusal(ExchangeRefusal Kind, IReadOnlyList<string> Problems) : Outcome
    {
        public static Refusal Forbidden(string problem) => new(ExchangeRefusal.Forbidden, [problem]);

        public static Refusal Conflict(string problem) => new(ExchangeRefusal.Conflict, [problem]);

        public static Refusal Invalid(string problem) => new(ExchangeRefusal.Invalid, [problem]);
    }

    /// <summary>
    /// Locks the demand, lets <paramref name="decide"/> check the actor, the state and the input, then applies the
    /// change with its history and audit rows — or audits the refusal — in one transaction.
    /// </summary>
    private async Task<Demand> ChangeAsync(
        ExchangeActor actor, long id, string action, Func<NpgsqlConnection, NpgsqlTransaction, Demand, Task<Outcome>> decide, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var auditAction = "demand." + action;
        await using var connection = await _dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, ct);
        var demand = await ReadAsync(connection, transaction, id, forUpdate: true, ct);
        if (demand is null)
        {
            throw await RefuseAsync(connection, transaction, actor, auditAction, Target(id), ExchangeRefusal.NotFound, [$"demand {id} does not exist"], ct);
        }

        var outcome = await decide(connection, transaction, demand);
        if (outcome is Refusal refusal)
        {
            throw await RefuseAsync(connection, transaction, actor, auditAction, Target(id), refusal.Kind, refusal.Problems, ct);
        }

        var change = (Change)outcome;
        var assigns = action == "assigned";
        await using (var update = new NpgsqlCommand("""
            UPDATE datahub.exchange_demand
            SET status = @status, status_reason = @reason, updated_at = clock_timestamp(),
                assigned_provider = CASE WHEN @assigns THEN @provider ELSE assigned_provider END,
                assigned_by = CASE WHEN @assigns THEN @by ELSE assigned_by END,
                due_date = CASE WHEN @assigns THEN @due ELSE due_date END,
                fulfilled_dataset = coalesce(@dataset, fulfilled_dataset)
            WHERE id = @id
            """, connection, transaction))
        {
            update.Parameters.AddWithValue("id", id);
            update.Parameters.AddWithValue("status", change.Status);
            update.Parameters.AddWithValue("reason", (object?)change.Note ?? DBNull.Value);
            update.Parameters.AddWithValue("assigns", assigns);
            update.Parameters.Add(new NpgsqlParameter<string?>("provider", change.Provider));
            update.Parameters.Add(new NpgsqlParameter<string?>("by", assigns ? actor.User : null));
            update.Parameters.Add(new NpgsqlParameter("due", NpgsqlTypes.NpgsqlDbType.Date) { Value = change.DueDate is { } d ? d : DBNull.Value });
            update.Parameters.Add(new NpgsqlParameter<string?>("dataset", change.Dataset));
            await update.ExecuteNonQueryAsync(ct);
        }

        var detail = new JsonObject { ["from"] = demand.Status, ["to"] = change.Status };
        if (assigns)
        {
            detail["provider"] = change.Provider;
            detail["previous_provider"] = demand.AssignedProvider;
            detail["due_date"] = change.DueDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        }

        if (change.Dataset is not null)
        {
            detail["dataset"] = change.Dataset;
        }

        if (change.Note is not null)
        {
            detail[action == "declined" ? "reason" : "note"] = change.Note;
        }

        var audit = await AuditAsync(connection, transaction, actor, auditAction, Target(id), AuditOutcome.Ok, detail, ct);
        await RecordAsync(connection, transaction, id, actor, action, demand.Status, change.Status,
            change.Provider, change.DueDate, change.Dataset, change.Note, audit.Seq, ct);
        var changed = (await ReadAsync(connection, transaction, id, forUpdate: false, ct))!;
        await transaction.CommitAsync(ct);
        return changed;
    }

    /// <summary>Null when the actor may act for the assigned provider (its approver, or a bureau_admin).</summary>
    private static Refusal? ProviderRefusal(ExchangeActor actor, Demand demand) =>
        actor.Roles.Contains(ExchangeRoles.BureauAdmin)
        || (demand.AssignedProvider is { } provider && actor.Department == provider && actor.Roles.Contains(ExchangeRoles.Approver))
            ? null
            : Refusal.Forbidden(demand.AssignedProvider is null
                ? $"demand {demand.Id} is not assigned to a provider yet"
                : $"only an approver of the assigned provider {demand.AssignedProvider} or a bureau_admin may do this");

    private static bool MaySee(ExchangeActor actor, Demand demand) =>
        actor.Roles.Contains(ExchangeRoles.BureauAdmin)
        || actor.Department == demand.RequestingDepartment
        || actor.Department == demand.AssignedProvider;

    private static string? Clean(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    private static string Target(long id) => string.Create(CultureInfo.InvariantCulture, $"demand:{id}");

    private static string? Text(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private async Task<Demand?> ReadAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long id, bool forUpdate, CancellationToken ct)
    {
        await using var select = new NpgsqlCommand(
            $"SELECT {Columns} FROM datahub.exchange_demand WHERE id = @id{(forUpdate ? " FOR UPDATE" : string.Empty)}", connection, transaction);
        select.Parameters.AddWithValue("id", id);
        select.Parameters.AddWithValue("today", Today);
        await using var reader = await select.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? ToDemand(reader) : null;
    }

    private static Demand ToDemand(NpgsqlDataReader reader) => new(
        reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
        reader.GetFieldValue<string[]>(5), reader.GetString(6), reader.GetString(7), reader.GetString(8),
        Text(reader, 9), Text(reader, 10), reader.IsDBNull(11) ? null : reader.GetFieldValue<DateOnly>(11),
        Text(reader, 12), Text(reader, 13), reader.GetDateTime(14), reader.GetDateTime(15), reader.GetBoolean(16));

    private static async Task<bool> DepartmentExistsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string code, CancellationToken ct)
    {
        await using var select = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM datahub.department WHERE code = @code)", connection, transaction);
        select.Parameters.AddWithValue("code", code);
        return (bool)(await select.ExecuteScalarAsync(ct))!;
    }

    private static async Task<string?> DatasetProviderAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string name, CancellationToken ct)
    {
        await using var select = new NpgsqlCommand("SELECT provider_code FROM datahub.dataset WHERE name = @name", connection, transaction);
        select.Parameters.AddWithValue("name", name);
        return (string?)await select.ExecuteScalarAsync(ct);
    }

    private static async Task RecordAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, long id, ExchangeActor actor, string action, string? from, string to,
        string? provider, DateOnly? due, string? dataset, string? note, long auditSeq, CancellationToken ct)
    {
        await using var insert = new NpgsqlCommand("""
            INSERT INTO datahub.exchange_demand_event (demand_id, actor, department, action, from_status, to_status, provider, due_date, dataset, note, audit_seq)
            VALUES (@id, @actor, @department, @action, @from, @to, @provider, @due, @dataset, @note, @seq)
            """, connection, transaction);
        insert.Parameters.AddWithValue("id", id);
        insert.Parameters.AddWithValue("actor", actor.User);
        insert.Parameters.AddWithValue("department", actor.Department);
        insert.Parameters.AddWithValue("action", action);
        insert.Parameters.Add(new NpgsqlParameter<string?>("from", from));
        insert.Parameters.AddWithValue("to", to);
        insert.Parameters.Add(new NpgsqlParameter<string?>("provider", provider));
        insert.Parameters.Add(new NpgsqlParameter("due", NpgsqlTypes.NpgsqlDbType.Date) { Value = due is { } d ? d : DBNull.Value });
        insert.Parameters.Add(new NpgsqlParameter<string?>("dataset", dataset));
        insert.Parameters.Add(new NpgsqlParameter<string?>("note", note));
        insert.Parameters.AddWithValue("seq", auditSeq);
        await insert.ExecuteNonQueryAsync(ct);
    }

    private static Task<AuditRecord> AuditAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, ExchangeActor actor, string action, string? target, AuditOutcome outcome, JsonObject? detail, CancellationToken ct) =>
        AuditLog.AppendAsync(connection, transaction, new AuditEntry(actor.User, actor.Department, action, target, outcome, detail), ct);

    /// <summary>Audits a refused attempt, commits (only the audit row) and returns the exception to throw.</summary>
    private static async Task<ExchangeRefusedException> RefuseAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, ExchangeActor actor, string action, string? target,
        ExchangeRefusal kind, IReadOnlyList<string> problems, CancellationToken ct)
    {
        await AuditAsync(connection, transaction, actor, action, target, AuditOutcome.Denied, new JsonObject
        {
            ["refusal"] = kind.ToString().ToLowerInvariant(),
            ["problems"] = new JsonArray([.. problems.Select(p => JsonValue.Create(p))]),
        }, ct);
        await transaction.CommitAsync(ct);
        return new ExchangeRefusedException(kind, problems);
    }
}
