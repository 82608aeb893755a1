using System.Data;
using System.Globalization;
using System.Text.Json.Nodes;
using Npgsql;

namespace DataHub.Catalog.Audit;

/// <summary>
/// The sharing exchange's append-only, hash-chained audit log in <c>datahub.audit_log</c> (migration 0008): every
/// row carries the hash of the row before it, so a changed, deleted or reordered row breaks the chain where
/// <see cref="VerifyAsync"/> finds it. The hashed form is described on <see cref="AuditCanonicalForm"/> and in the
/// README's Audit section.
/// </summary>
/// <remarks>
/// Appends serialise on a transaction-scoped advisory lock (<see cref="AdvisoryLockKey"/>), taken before the last
/// row is read, so each append sees its predecessor and the chain stays linear under any concurrency; the primary
/// key on <c>seq</c> turns any append that read a stale predecessor (a caller's repeatable-read snapshot taken
/// before the lock) into an error rather than a fork. An append inside a caller's transaction holds the lock until
/// that transaction ends.
/// </remarks>
public sealed class AuditLog
{
    /// <summary>The key of the advisory lock every append holds until its transaction ends (ASCII "DHAudit").</summary>
    public const long AdvisoryLockKey = 0x0044_4841_7564_6974;

    private const string LastRowSql = """
        SELECT clock_timestamp(), @detail::jsonb::text, last.seq, last.hash
        FROM (SELECT 1) AS one
        LEFT JOIN LATERAL (SELECT seq, hash FROM datahub.audit_log ORDER BY seq DESC LIMIT 1) AS last ON true
        """;

    private const string InsertManySql = """
        INSERT INTO datahub.audit_log (seq, at, actor, department, action, target, outcome, detail, prev_hash, hash)
        SELECT u.seq, @at, u.actor, u.department, u.action, u.target, u.outcome, u.detail::jsonb, u.prev_hash, u.hash
        FROM unnest(@seqs, @actors, @departments, @actions, @targets, @outcomes, @details, @prevs, @hashes)
            AS u(seq, actor, department, action, target, outcome, detail, prev_hash, hash)
        """;

    private const string InsertSql = """
        INSERT INTO datahub.audit_log (seq, at, actor, department, action, target, outcome, detail, prev_hash, hash)
        VALUES (@seq, @at, @actor, @department, @action, @target, @outcome, @detail::jsonb, @prev_hash, @hash)
        """;

    private const string ReadAllSql = """
        SELECT seq, at, actor, department, action, target, outcome, detail::text, prev_hash, hash
        FROM datahub.audit_log ORDER BY seq
        """;

    private readonly NpgsqlDataSource _dataSource;

    /// <summary>Creates the log over a migrated database.</summary>
    /// <param name="dataSource">The catalog database (migration 0008 applied).</param>
    public AuditLog(NpgsqlDataSource dataSource)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        _dataSource = dataSource;
    }

    /// <summary>Appends an entry in a transaction of its own.</summary>
    /// <param name="entry">What happened.</param>
    /// <param name="ct">Cancels the append; nothing is written then.</param>
    /// <returns>Where the entry landed in the chain.</returns>
    public async Task<AuditRecord> AppendAsync(AuditEntry entry, CancellationToken ct)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, ct);
        var record = await AppendAsync(connection, transaction, entry, ct);
        await transaction.CommitAsync(ct);
        return record;
    }

    /// <summary>
    /// Appends an entry inside the caller's transaction, so the entry commits or rolls back with the change it
    /// records (a grant change and its audit row). The append lock is held until that transaction ends.
    /// </summary>
    /// <param name="connection">The open connection of <paramref name="transaction"/>.</param>
    /// <param name="transaction">The caller's transaction (read committed).</param>
    /// <param name="entry">What happened.</param>
    /// <param name="ct">Cancels the append.</param>
    /// <returns>Where the entry will land in the chain once the transaction commits.</returns>
    public static async Task<AuditRecord> AppendAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, AuditEntry entry, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(transaction);
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentException.ThrowIfNullOrWhiteSpace(entry.Actor, nameof(entry));
        ArgumentException.ThrowIfNullOrWhiteSpace(entry.Action, nameof(entry));
        entry = Storable(entry);
        var outcome = AuditCanonicalForm.Outcome(entry.Outcome);

        await using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@key)", connection, transaction))
        {
            lockCommand.Parameters.AddWithValue("key", AdvisoryLockKey);
            await lockCommand.ExecuteNonQueryAsync(ct);
        }

        // After the lock, in a statement of its own (a fresh read-committed snapshot): the predecessor, the database's
        // clock, and the detail as jsonb prints it — the values that will be stored and re-read are the ones hashed.
        DateTime at;
        string detail;
        long seq;
        byte[] prevHash;
        await using (var last = new NpgsqlCommand(LastRowSql, connection, transaction))
        {
            last.Parameters.AddWithValue("detail", entry.Detail?.ToJsonString() ?? "{}");
            await using var reader = await last.ExecuteReaderAsync(ct);
            await reader.ReadAsync(ct);
            at = reader.GetDateTime(0);
            detail = reader.GetString(1);
            seq = reader.IsDBNull(2) ? 1 : reader.GetInt64(2) + 1;
            prevHash = reader.IsDBNull(3) ? AuditCanonicalForm.Genesis : reader.GetFieldValue<byte[]>(3);
        }

        var canonical = AuditCanonicalForm.Canonical(seq, at, entry.Actor, entry.Department, entry.Action, entry.Target, outcome, detail);
        var hash = AuditCanonicalForm.Hash(prevHash, canonical);
        await using (var insert = new NpgsqlCommand(InsertSql, connection, transaction))
        {
            insert.Parameters.AddWithValue("seq", seq);
            insert.Parameters.AddWithValue("at", at);
            insert.Parameters.AddWithValue("actor", entry.Actor);
            insert.Parameters.AddWithValue("department", (object?)entry.Department ?? DBNull.Value);
            insert.Parameters.AddWithValue("action", entry.Action);
            insert.Parameters.AddWithValue("target", (object?)entry.Target ?? DBNull.Value);
            insert.Parameters.AddWithValue("outcome", outcome);
            insert.Parameters.AddWithValue("detail", detail);
            insert.Parameters.AddWithValue("prev_hash", prevHash);
            insert.Parameters.AddWithValue("hash", hash);
            await insert.ExecuteNonQueryAsync(ct);
        }

        return new AuditRecord(seq, at, Convert.ToHexStringLower(prevHash), Convert.ToHexStringLower(hash));
    }

    /// <summary>
    /// The entry as it can be stored and hashed. Refused attempts are recorded with what the caller sent, which may
    /// hold text PostgreSQL cannot store (NUL) or that is not Unicode (an unpaired surrogate): such characters are
    /// written as U+FFFD, so the attempt is recorded instead of failing with it.
    /// </summary>
    /// <param name="entry">The entry as given.</param>
    public static AuditEntry Storable(AuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return entry with
        {
            Actor = Storable(entry.Actor)!,
            Department = Storable(entry.Department),
            Target = Storable(entry.Target),
            Detail = entry.Detail is null ? null : (JsonObject)StorableNode(entry.Detail)!,
        };
    }

    /// <summary>The text with NUL and unpaired surrogates replaced by U+FFFD; null stays null.</summary>
    /// <param name="text">Text that may come from a caller.</param>
    public static string? Storable(string? text)
    {
        if (text is null || IsStorable(text))
        {
            return text;
        }

        var chars = text.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (chars[i] == '\0')
            {
                chars[i] = '\uFFFD';
            }
            else if (char.IsHighSurrogate(chars[i]) && i + 1 < chars.Length && char.IsLowSurrogate(chars[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(chars[i]))
            {
                chars[i] = '\uFFFD';
            }
        }

        return new string(chars);
    }

    /// <summary>Whether text holds no NUL and no unpaired surrogate (PostgreSQL can store it as it is).</summary>
    /// <param name="text">The text.</param>
    public static bool IsStorable(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\0')
            {
                return false;
            }

            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static JsonNode? StorableNode(JsonNode? node) => node switch
    {
        null => null,
        JsonObject o => new JsonObject(o.Select(p => KeyValuePair.Create(Storable(p.Key)!, StorableNode(p.Value)))),
        JsonArray a => new JsonArray([.. a.Select(StorableNode)]),
        JsonValue v when v.TryGetValue<string>(out var text) => JsonValue.Create(Storable(text)),
        _ => node.DeepClone(),
    };

    /// <summary>
    /// Appends several entries in order inside the caller's transaction with three statements whatever their number:
    /// the lock; the predecessor, the clock and every detail as jsonb prints it; one insert of all rows. The chain is
    /// computed in between exactly as <see cref="AppendAsync(NpgsqlConnection, NpgsqlTransaction, AuditEntry, CancellationToken)"/>
    /// does for one; the entries share the time.
    /// </summary>
    /// <param name="connection">The open connection of <paramref name="transaction"/>.</param>
    /// <param name="transaction">The caller's transaction (read committed).</param>
    /// <param name="entries">What happened, in order.</param>
    /// <param name="ct">Cancels the append.</param>
    /// <returns>Where each entry will land once the transaction commits.</returns>
    public static async Task<IReadOnlyList<AuditRecord>> AppendManyAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<AuditEntry> entries, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(transaction);
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Count == 0)
        {
            return [];
        }

        foreach (var entry in entries)
        {
            ArgumentNullException.ThrowIfNull(entry);
            ArgumentException.ThrowIfNullOrWhiteSpace(entry.Actor, nameof(entries));
            ArgumentException.ThrowIfNullOrWhiteSpace(entry.Action, nameof(entries));
        }

        entries = [.. entries.Select(Storable)];

        DateTime at;
        string[] details;
        long seq;
        byte[] prevHash;
        // The lock and the read of the chain's end in one round trip (a batch runs its statements in order).
        await using (var batch = new NpgsqlBatch(connection, transaction))
        {
            var lockCommand = new NpgsqlBatchCommand("SELECT pg_advisory_xact_lock(@key)");
            lockCommand.Parameters.AddWithValue("key", AdvisoryLockKey);
            var last = new NpgsqlBatchCommand("""
                SELECT clock_timestamp(), ARRAY(SELECT d::jsonb::text FROM unnest(@details::text[]) WITH ORDINALITY AS u(d, n) ORDER BY n), last.seq, last.hash
                FROM (SELECT 1) AS one
                LEFT JOIN LATERAL (SELECT seq, hash FROM datahub.audit_log ORDER BY seq DESC LIMIT 1) AS last ON true
                """);
            last.Parameters.AddWithValue("details", entries.Select(e => e.Detail?.ToJsonString() ?? "{}").ToArray());
            batch.BatchCommands.Add(lockCommand);
            batch.BatchCommands.Add(last);
            await using var reader = await batch.ExecuteReaderAsync(ct);
            await reader.NextResultAsync(ct);
            await reader.ReadAsync(ct);
            at = reader.GetDateTime(0);
            details = reader.GetFieldValue<string[]>(1);
            seq = reader.IsDBNull(2) ? 0 : reader.GetInt64(2);
            prevHash = reader.IsDBNull(3) ? AuditCanonicalForm.Genesis : reader.GetFieldValue<byte[]>(3);
        }

        var rows = ChainRows.Of(entries, at, details, seq, prevHash);
        await using (var insert = new NpgsqlCommand(InsertManySql, connection, transaction))
        {
            rows.AddParameters(insert.Parameters);
            await insert.ExecuteNonQueryAsync(ct);
        }

        var records = rows.Records;

        return records;
    }

    /// <summary>
    /// Appends several entries after a chain end the caller already knows, in one round trip: the lock and one insert
    /// that writes the rows only if the log still ends at <paramref name="lastSeq"/> with <paramref name="lastHash"/>,
    /// sent as one batch, which PostgreSQL runs as one implicit transaction committed before it answers. The hashes
    /// are computed beforehand from the application's clock (microseconds, UTC) and each detail's own JSON text —
    /// which hashes the same as jsonb prints it as long as every number in it is an integer; an entry with any other
    /// number is not taken (returns null and nothing is written). Returns null too when someone else appended first.
    /// </summary>
    /// <param name="connection">An open connection with no transaction.</param>
    /// <param name="entries">What happened, in order.</param>
    /// <param name="lastSeq">The seq of the last row the caller knows of (0: an empty log).</param>
    /// <param name="lastHash">That row's hash (the genesis hash for an empty log).</param>
    /// <param name="ct">Cancels the append.</param>
    /// <returns>Where each entry landed (committed), or null when nothing was written.</returns>
    public static async Task<IReadOnlyList<(AuditRecord Record, byte[] Hash)>?> TryAppendAfterAsync(
        NpgsqlConnection connection, IReadOnlyList<AuditEntry> entries, long lastSeq, byte[] lastHash, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(lastHash);
        if (entries.Count == 0)
        {
            return [];
        }

        entries = [.. entries.Select(Storable)];
        if (entries.Any(e => e.Detail is not null && !IntegersOnly(e.Detail)))
        {
            return null;
        }

        var now = DateTime.UtcNow;
        var at = new DateTime(now.Ticks - (now.Ticks % 10), DateTimeKind.Utc);
        var details = entries.Select(e => e.Detail?.ToJsonString() ?? "{}").ToArray();
        var rows = ChainRows.Of(entries, at, details, lastSeq, lastHash);
        await using var batch = new NpgsqlBatch(connection);
        var lockCommand = new NpgsqlBatchCommand("SELECT pg_advisory_xact_lock(@key)");
        lockCommand.Parameters.AddWithValue("key", AdvisoryLockKey);
        // A statement of its own after the lock, so its snapshot sees every append committed before the lock was taken.
        var insert = new NpgsqlBatchCommand(InsertManySql + """

            WHERE coalesce((SELECT seq FROM datahub.audit_log ORDER BY seq DESC LIMIT 1), 0) = @last_seq
              AND coalesce((SELECT hash FROM datahub.audit_log ORDER BY seq DESC LIMIT 1), @genesis) = @last_hash
            """);
        rows.AddParameters(insert.Parameters);
        insert.Parameters.AddWithValue("last_seq", lastSeq);
        insert.Parameters.AddWithValue("genesis", AuditCanonicalForm.Genesis);
        insert.Parameters.AddWithValue("last_hash", lastHash);
        batch.BatchCommands.Add(lockCommand);
        batch.BatchCommands.Add(insert);
        // Prepared once per physical connection (Npgsql keeps it across batches): no parse and plan per append.
        await batch.PrepareAsync(ct);
        await batch.ExecuteNonQueryAsync(ct);
        return insert.RecordsAffected == entries.Count ? [.. rows.Records.Select((r, i) => (r, rows.Hashes[i]))] : null;
    }

    // Consecutive rows after (seq, prevHash) sharing one time: their seqs, outcomes, predecessors and hashes.
    private sealed record ChainRows(IReadOnlyList<AuditEntry> Entries, DateTime At, string[] Details, long[] Seqs, string[] Outcomes, byte[][] Prevs, byte[][] Hashes)
    {
        public List<AuditRecord> Records => [.. Seqs.Select((seq, i) => new AuditRecord(seq, At, Convert.ToHexStringLower(Prevs[i]), Convert.ToHexStringLower(Hashes[i])))];

        public static ChainRows Of(IReadOnlyList<AuditEntry> entries, DateTime at, string[] details, long seq, byte[] prevHash)
        {
            var rows = new ChainRows(entries, at, details, new long[entries.Count], new string[entries.Count], new byte[entries.Count][], new byte[entries.Count][]);
            for (var i = 0; i < entries.Count; i++)
            {
                var entry = entries[i];
                rows.Seqs[i] = ++seq;
                rows.Outcomes[i] = AuditCanonicalForm.Outcome(entry.Outcome);
                var canonical = AuditCanonicalForm.Canonical(rows.Seqs[i], at, entry.Actor, entry.Department, entry.Action, entry.Target, rows.Outcomes[i], details[i]);
                rows.Prevs[i] = prevHash;
                rows.Hashes[i] = prevHash = AuditCanonicalForm.Hash(prevHash, canonical);
            }

            return rows;
        }

        public void AddParameters(NpgsqlParameterCollection parameters)
        {
            parameters.AddWithValue("at", At);
            parameters.AddWithValue("seqs", Seqs);
            parameters.AddWithValue("actors", Entries.Select(e => e.Actor).ToArray());
            parameters.AddWithValue("departments", Entries.Select(e => e.Department).ToArray());
            parameters.AddWithValue("actions", Entries.Select(e => e.Action).ToArray());
            parameters.AddWithValue("targets", Entries.Select(e => e.Target).ToArray());
            parameters.AddWithValue("outcomes", Outcomes);
            parameters.AddWithValue("details", Details);
            parameters.AddWithValue("prevs", Prevs);
            parameters.AddWithValue("hashes", Hashes);
        }
    }

    private static bool IntegersOnly(JsonNode? node) => node switch
    {
        null => true,
        JsonObject o => o.All(p => IntegersOnly(p.Value)),
        JsonArray a => a.All(IntegersOnly),
        JsonValue v => v.GetValueKind() != System.Text.Json.JsonValueKind.Number || v.ToJsonString().All(c => c is '-' || char.IsAsciiDigit(c)),
        _ => false,
    };

    /// <summary>
    /// Reads the whole log in seq order from one snapshot and recomputes the chain: each row must follow its
    /// predecessor's seq, carry its predecessor's hash as prev_hash, and hash to its stored hash.
    /// </summary>
    /// <param name="ct">Cancels the verification.</param>
    /// <returns>The rows checked and the first broken row, if any.</returns>
    public async Task<AuditVerification> VerifyAsync(CancellationToken ct)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
        await using var command = new NpgsqlCommand(ReadAllSql, connection, transaction);
        await using var reader = await command.ExecuteReaderAsync(ct);

        long rows = 0;
        long previousSeq = 0;
        var previousHash = AuditCanonicalForm.Genesis;
        AuditBreak? broken = null;
        while (await reader.ReadAsync(ct))
        {
            rows++;
            var seq = reader.GetInt64(0);
            var prevHash = reader.GetFieldValue<byte[]>(8);
            var hash = reader.GetFieldValue<byte[]>(9);
            if (broken is null)
            {
                var canonical = AuditCanonicalForm.Canonical(
                    seq,
                    reader.GetDateTime(1),
                    reader.GetString(2),
                    reader.IsDBNull(3) ? null : reader.GetString(3),
                    reader.GetString(4),
                    reader.IsDBNull(5) ? null : reader.GetString(5),
                    reader.GetString(6),
                    reader.GetString(7));
                broken = Check(seq, prevHash, hash, canonical, previousSeq, previousHash);
            }

            previousSeq = seq;
            previousHash = hash;
        }

        return new AuditVerification(rows, broken, rows == 0 ? null : Convert.ToHexStringLower(previousHash));
    }

    private static AuditBreak? Check(long seq, byte[] prevHash, byte[] hash, string canonical, long previousSeq, byte[] previousHash)
    {
        var expectedSeq = previousSeq + 1;
        var predecessor = previousSeq == 0 ? "the start of the log" : string.Create(CultureInfo.InvariantCulture, $"row {previousSeq}");
        if (!prevHash.AsSpan().SequenceEqual(previousHash))
        {
            var description = seq > expectedSeq
                ? string.Create(CultureInfo.InvariantCulture,
                    $"prev_hash does not match the hash of {predecessor}: {Rows(expectedSeq, seq - 1)} missing (deleted)")
                : string.Create(CultureInfo.InvariantCulture,
                    $"prev_hash does not match the hash of {predecessor}: rows reordered, a row replaced, or prev_hash edited");
            return new AuditBreak(seq, AuditBreakReason.PrevHashMismatch, description);
        }

        if (seq != expectedSeq)
        {
            return new AuditBreak(seq, AuditBreakReason.SeqGap, string.Create(CultureInfo.InvariantCulture,
                $"follows {predecessor} but is numbered {seq}, not {expectedSeq}: renumbered"));
        }

        return AuditCanonicalForm.Hash(prevHash, canonical).AsSpan().SequenceEqual(hash)
            ? null
            : new AuditBreak(seq, AuditBreakReason.HashMismatch, "the row's fields do not hash to its stored hash: the row was changed");
    }

    private static string Rows(long from, long to) => from == to
        ? string.Create(CultureInfo.InvariantCulture, $"row {from} is")
        : string.Create(CultureInfo.InvariantCulture, $"rows {from}–{to} are");
}
