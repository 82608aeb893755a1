using System.Data;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using DataHub.Catalog.Audit;
using DataHub.Catalog.Lineage;
using DataHub.Exchange.Identity;
using DataHub.Exchange.Masking;
using DataHub.Exchange.Requests;
using Npgsql;

namespace DataHub.Exchange.Delivery;

/// <summary>
/// Delivery under a grant, enforced on every call: the caller's department holds the grant, it is in its period and
/// not revoked, it allows the use, and the caller is an analyst. Every call — refused ones included — is audited; every
/// completed or failed delivery is one <c>exchange_delivery</c> row (rows, bytes, SHA-256 of what was sent) and one
/// lineage edge from the dataset to the grant, flagged where masks applied.
/// </summary>
/// <param name="dataSource">The migrated catalog database.</param>
/// <param name="grants">Where grants are read.</param>
/// <param name="views">The exchange's DuckDB views.</param>
/// <param name="lineage">Records lineage (null for none).</param>
/// <param name="time">The clock (grant periods are in the platform's time zone, Asia/Shanghai).</param>
public sealed class GrantDeliveryService(NpgsqlDataSource dataSource, GrantStore grants, GrantViews views, LineageEmitter? lineage, TimeProvider time)
{
    /// <summary>The OpenLineage namespace of grants as lineage datasets (<c>exchange:grant/12</c>).</summary>
    public const string LineageNamespace = "exchange";

    private static readonly TimeZoneInfo Zone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    private readonly NpgsqlDataSource _dataSource = dataSource ?? throw new ArgumentNullException(nameof(dataSource));
    private readonly GrantStore _grants = grants ?? throw new ArgumentNullException(nameof(grants));
    private readonly GrantViews _views = views ?? throw new ArgumentNullException(nameof(views));
    private readonly TimeProvider _time = time ?? throw new ArgumentNullException(nameof(time));

    /// <summary>The grant, if the actor may use it so now; otherwise the refusal is audited and thrown.</summary>
    /// <param name="actor">The caller.</param>
    /// <param name="grantId">The grant.</param>
    /// <param name="use">What for.</param>
    /// <param name="ct">Cancels the check.</param>
    /// <exception cref="ExchangeRefusedException">Unknown (404), another department's or not an analyst (403), revoked, not yet or no longer valid, or not for this use (409).</exception>
    public async Task<(GrantRecord Grant, CompiledGrant View)> AuthorizeAsync(ExchangeActor actor, long grantId, GrantUse use, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var grant = await _grants.GetAsync(grantId, ct);
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(_time.GetUtcNow(), Zone).DateTime);
        var problem = Check(actor, grant, grantId, use, today);
        if (problem is { } refused)
        {
            await DenyAsync(actor, Action(use), grantId, refused.Item1, refused.Item2, ct);
        }

        try
        {
            return (grant!, await _views.CompileAsync(grant!, ct));
        }
        catch (ExchangeRefusedException e)
        {
            await DenyAsync(actor, Action(use), grantId, string.Join("; ", e.Problems), e.Kind, ct);
            throw;
        }
    }

    /// <summary>
    /// Why the actor may not use the grant so today, or null when it may: the grant exists, is for the actor's
    /// department, the actor is an analyst, it is not revoked, today is in its period and it allows the use.
    /// </summary>
    /// <param name="actor">The caller.</param>
    /// <param name="grant">The grant, or null when there is none.</param>
    /// <param name="grantId">The id asked for.</param>
    /// <param name="use">What for.</param>
    /// <param name="today">Today in the platform's time zone.</param>
    public static (string Text, ExchangeRefusal Kind)? Check(ExchangeActor actor, GrantRecord? grant, long grantId, GrantUse use, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return grant is null ? ($"grant {grantId} does not exist", ExchangeRefusal.NotFound)
            : grant.Department != actor.Department ? ($"grant {grantId} is not for {actor.Department}", ExchangeRefusal.Forbidden)
            : !actor.Roles.Contains(ExchangeRoles.Analyst) ? ($"{actor.User} does not hold the analyst role", ExchangeRefusal.Forbidden)
            : grant.RevokedAt is { } revoked ? ($"grant {grantId} was revoked at {revoked.ToString("u", CultureInfo.InvariantCulture)}", ExchangeRefusal.Conflict)
            : today < grant.ValidFrom ? ($"grant {grantId} is valid from {grant.ValidFrom:yyyy-MM-dd}", ExchangeRefusal.Conflict)
            : today > grant.ValidUntil ? ($"grant {grantId} expired after {grant.ValidUntil:yyyy-MM-dd}", ExchangeRefusal.Conflict)
            : !grant.Allows(use) ? ($"grant {grantId} is for delivery '{grant.Delivery}', not {use.ToString().ToLowerInvariant()}", ExchangeRefusal.Conflict)
            : null;
    }

    /// <summary>One page of a query under a grant, checked, recorded and audited.</summary>
    /// <param name="actor">The caller.</param>
    /// <param name="grantId">The grant.</param>
    /// <param name="query">The caller's query.</param>
    /// <param name="ct">Cancels the query.</param>
    /// <exception cref="ExchangeRefusedException">The grant refuses the caller, or the query leaves the grant (400, every problem named); audited.</exception>
    public async Task<GrantPage> QueryAsync(ExchangeActor actor, long grantId, GrantQuery query, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(query);
        var started = _time.GetUtcNow();
        var (grant, view) = await AuthorizeAsync(actor, grantId, GrantUse.Query, ct);
        var problems = GrantViews.Check(view, query);
        if (problems.Count > 0)
        {
            await DenyAsync(actor, "grant.query", grantId, string.Join("; ", problems), ExchangeRefusal.Invalid, ct, problems);
        }

        var page = await Task.Run(() => _views.Query(view, query, ct), ct);
        await RecordAsync(actor, grant, view, GrantUse.Query, "json", page.Columns.Select(c => c.Name).ToList(), page.Rows.Count, 0, null,
            "completed", null, started, new JsonObject
            {
                ["offset"] = query.Offset, ["limit"] = query.Limit, ["filters"] = query.Filters.Count,
            }, ct);
        return page;
    }

    /// <summary>
    /// Streams the whole grant to <paramref name="destination"/> in a format, then records rows, bytes and the SHA-256 of
    /// what was sent. A failed or abandoned export is recorded too, with what had been sent by then.
    /// </summary>
    /// <param name="actor">The caller.</param>
    /// <param name="view">The compiled grant, from <see cref="AuthorizeAsync"/> with <see cref="GrantUse.Export"/>.</param>
    /// <param name="grant">The grant.</param>
    /// <param name="format">parquet, csv or json.</param>
    /// <param name="destination">The response body.</param>
    /// <param name="ct">Cancels the export.</param>
    public async Task<ExportReceipt> ExportAsync(ExchangeActor actor, GrantRecord grant, CompiledGrant view, string format, Stream destination, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(grant);
        ArgumentNullException.ThrowIfNull(view);
        var started = _time.GetUtcNow();
        var columns = view.Columns.Select(c => c.Column).ToList();
        var counting = new CountingStream(destination);
        try
        {
            var receipt = await _views.ExportAsync(view, format, counting, ct);
            await RecordAsync(actor, grant, view, GrantUse.Export, format, columns, receipt.Rows, receipt.Bytes, receipt.Sha256, "completed", null, started, null, CancellationToken.None);
            return receipt;
        }
        catch (Exception e)
        {
            var aborted = ct.IsCancellationRequested;
            await RecordAsync(actor, grant, view, GrantUse.Export, format, columns, 0, counting.Written, null, aborted ? "aborted" : "failed",
                aborted ? "the client went away" : e.Message, started, null, CancellationToken.None);
            throw;
        }
    }

    /// <summary>The deliveries under a grant, newest first (at most 1000).</summary>
    /// <param name="grantId">The grant.</param>
    /// <param name="ct">Cancels the read.</param>
    public async Task<IReadOnlyList<DeliveryRecord>> ListDeliveriesAsync(long grantId, CancellationToken ct)
    {
        await using var command = _dataSource.CreateCommand("""
            SELECT id, kind, format, actor, department, snapshot_id, columns, masked, rows, bytes, sha256, status, error, started_at, finished_at
            FROM datahub.exchange_delivery WHERE grant_id = @grant ORDER BY started_at DESC LIMIT 1000
            """);
        command.Parameters.AddWithValue("grant", grantId);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var deliveries = new List<DeliveryRecord>();
        while (await reader.ReadAsync(ct))
        {
            deliveries.Add(new DeliveryRecord(
                reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetInt64(5), reader.GetFieldValue<string[]>(6), reader.GetBoolean(7), reader.GetInt64(8),
                reader.GetInt64(9), reader.IsDBNull(10) ? null : Convert.ToHexStringLower(reader.GetFieldValue<byte[]>(10)), reader.GetString(11),
                reader.IsDBNull(12) ? null : reader.GetString(12), reader.GetFieldValue<DateTimeOffset>(13), reader.GetFieldValue<DateTimeOffset>(14)));
        }

        return deliveries;
    }

    /// <summary>Audits a refused attempt on a grant and throws.</summary>
    /// <param name="actor">The caller.</param>
    /// <param name="action">The audited action, such as <c>grant.export</c>.</param>
    /// <param name="grantId">The grant.</param>
    /// <param name="problem">Why.</param>
    /// <param name="kind">The kind of refusal.</param>
    /// <param name="ct">Cancels the audit.</param>
    /// <param name="problems">Each problem, when there are several.</param>
    public async Task DenyAsync(ExchangeActor actor, string action, long grantId, string problem, ExchangeRefusal kind, CancellationToken ct, IReadOnlyList<string>? problems = null)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await new AuditLog(_dataSource).AppendAsync(new AuditEntry(actor.User, actor.Department, action, Target(grantId), AuditOutcome.Denied,
            new JsonObject { ["problem"] = problem, ["kind"] = kind.ToString().ToLowerInvariant() }), CancellationToken.None);
        throw new ExchangeRefusedException(problems ?? [problem], kind);
    }

    /// <summary>The audited action of a use: <c>grant.query</c>, <c>grant.export</c> or <c>grant.verify</c>.</summary>
    /// <param name="use">The use.</param>
    public static string Action(GrantUse use) => "grant." + use.ToString().ToLowerInvariant();

    /// <summary>The lineage dataset name of a grant, such as <c>exchange:grant/12</c>.</summary>
    /// <param name="grantId">The grant.</param>
    public static string LineageName(long grantId) => string.Create(CultureInfo.InvariantCulture, $"{LineageNamespace}:grant/{grantId}");

    private static string Target(long grantId) => string.Create(CultureInfo.InvariantCulture, $"grant:{grantId}");

    private async Task RecordAsync(
        ExchangeActor actor, GrantRecord grant, CompiledGrant view, GrantUse use, string format, IReadOnlyList<string> columns, long rows, long bytes,
        byte[]? sha256, string status, string? error, DateTimeOffset started, JsonObject? extra, CancellationToken ct)
    {
        var id = Guid.CreateVersion7();
        var planned = view.Columns.Where(c => columns.Contains(c.Column)).ToList();
        var masked = planned.Any(c => c.Rule.Kind != MaskKind.Plain);
        await using (var connection = await _dataSource.OpenConnectionAsync(ct))
        await using (var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, ct))
        {
            await using (var insert = new NpgsqlCommand("""
                INSERT INTO datahub.exchange_delivery (id, grant_id, kind, format, actor, department, snapshot_id, columns, masked, rows, bytes, sha256, status, error, started_at)
                VALUES (@id, @grant, @kind, @format, @actor, @department, @snapshot, @columns, @masked, @rows, @bytes, @sha, @status, @error, @started)
                """, connection, transaction))
            {
                insert.Parameters.AddWithValue("id", id);
                insert.Parameters.AddWithValue("grant", grant.Id);
                insert.Parameters.AddWithValue("kind", use.ToString().ToLowerInvariant());
                insert.Parameters.AddWithValue("format", format);
                insert.Parameters.AddWithValue("actor", actor.User);
                insert.Parameters.AddWithValue("department", actor.Department);
                insert.Parameters.AddWithValue("snapshot", view.SnapshotId);
                insert.Parameters.AddWithValue("columns", columns.ToArray());
                insert.Parameters.AddWithValue("masked", masked);
                insert.Parameters.AddWithValue("rows", rows);
                insert.Parameters.AddWithValue("bytes", bytes);
                insert.Parameters.AddWithValue("sha", NpgsqlTypes.NpgsqlDbType.Bytea, (object?)sha256 ?? DBNull.Value);
                insert.Parameters.AddWithValue("status", status);
                insert.Parameters.AddWithValue("error", NpgsqlTypes.NpgsqlDbType.Text, (object?)error ?? DBNull.Value);
                insert.Parameters.AddWithValue("started", started);
                await insert.ExecuteNonQueryAsync(ct);
            }

            var detail = new JsonObject
            {
                ["delivery"] = id.ToString(),
                ["dataset"] = grant.Dataset,
                ["format"] = format,
                ["snapshot"] = view.SnapshotId,
                ["columns"] = new JsonArray([.. columns.Select(c => JsonValue.Create(c))]),
                ["masked"] = masked,
                ["rows"] = rows,
                ["bytes"] = bytes,
                ["sha256"] = sha256 is null ? null : Convert.ToHexStringLower(sha256),
                ["status"] = status,
            };
            if (error is not null)
            {
                detail["error"] = error;
            }

            foreach (var (key, value) in extra ?? [])
            {
                detail[key] = value?.DeepClone();
            }

            await AuditLog.AppendAsync(connection, transaction, new AuditEntry(actor.User, actor.Department, Action(use), Target(grant.Id),
                status == "completed" ? AuditOutcome.Ok : AuditOutcome.Error, detail), ct);
            await transaction.CommitAsync(ct);
        }

        if (lineage is not null && status == "completed")
        {
            await lineage.EmitAsync(LineageOf(id, grant, planned), LineageEventType.Complete, null, ct);
        }
    }

    private static LineageRun LineageOf(Guid runId, GrantRecord grant, IReadOnlyList<PlannedColumn> columns)
    {
        var output = LineageName(grant.Id);
        var edges = columns.Select(c => new ColumnLineageEdge(
            new LineageColumn(grant.Dataset, c.Column), new LineageColumn(output, c.Column), LineageTransformationType.Direct,
            c.Rule.Kind == MaskKind.Plain ? "IDENTITY" : "TRANSFORMATION", c.Rule.Kind != MaskKind.Plain,
            c.Rule.Kind == MaskKind.Plain ? null : "mask " + c.Rule.Kind.ToString().ToLowerInvariant())).ToList();
        edges.AddRange(grant.Filters.Select(f => f.Field).Distinct(StringComparer.Ordinal).Select(f => new ColumnLineageEdge(
            new LineageColumn(grant.Dataset, f), new LineageColumn(output, LineageColumn.WholeDataset), LineageTransformationType.Indirect, "FILTER")));
        return new LineageRun(runId, LineageEmitter.JobNamespace, string.Create(CultureInfo.InvariantCulture, $"exchange.grant_{grant.Id}"),
            [new LineageDatasetSchema(grant.Dataset, [])],
            [new LineageDatasetSchema(output, columns.Select(c => new LineageField(c.Column, c.Rule.Kind == MaskKind.Plain ? null : "VARCHAR")).ToList())],
            edges);
    }

    /// <summary>Counts what passes through to the response, so an abandoned export records what had been sent.</summary>
    private sealed class CountingStream(Stream inner) : Stream
    {
        public long Written { get; private set; }

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => Written; set => throw new NotSupportedException(); }

        public override void Flush() => inner.Flush();

        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count)
        {
            inner.Write(buffer, offset, count);
            Written += count;
        }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await inner.WriteAsync(buffer, cancellationToken);
            Written += buffer.Length;
        }
    }
}
