using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using DataHub.Catalog.Audit;
using Npgsql;

namespace DataHub.Catalog.Tests.Audit;

/// <summary>The hash-chained audit log of migration 0008: appends, verification, tampering, the append-only guard.</summary>
[Collection(PostgresTestGroup.Name)]
public sealed class AuditLogTests(PostgresFixture postgres)
{
    private const string Bypass = "SET LOCAL datahub.audit_maintenance = on; ";

    [Fact]
    public async Task The_group_commit_writer_appends_concurrent_entries_as_one_intact_chain_interleaved_with_direct_appends()
    {
        var dataSource = await postgres.CreateMigratedDatabaseAsync("audit_writer");
        var log = new AuditLog(dataSource);
        IReadOnlyList<AuditRecord> batched;
        await using (var writer = new AuditWriter(dataSource))
        {
            var direct = Task.Run(async () =>
            {
                for (var i = 0; i < 20; i++)
                {
                    await log.AppendAsync(new AuditEntry("direct", "bureau", "test.direct", null, AuditOutcome.Ok), CancellationToken.None);
                }
            });
            batched = await Task.WhenAll(Enumerable.Range(0, 400).Select(i =>
                writer.AppendAsync(new AuditEntry($"caller{i % 7}", "gas", "verify.citizen", $"grant:{i % 3}", AuditOutcome.Ok, new JsonObject { ["i"] = i }))));
            await direct;
        }

        Assert.Equal(400, batched.Select(r => r.Seq).Distinct().Count());
        var verification = await log.VerifyAsync(CancellationToken.None);
        Assert.True(verification.Intact);
        Assert.Equal(420, verification.Rows);
    }

    [Fact]
    public async Task The_writers_one_round_trip_appends_hash_what_is_stored_and_give_way_to_other_appenders()
    {
        var dataSource = await postgres.CreateMigratedDatabaseAsync("audit_writer_one_trip");
        var log = new AuditLog(dataSource);
        var details = new JsonNode?[]
        {
            new JsonObject { ["z"] = 1, ["a"] = -42, ["中文"] = "户籍 \"引号\" \\ 反斜杠\t制表", ["nested"] = new JsonObject { ["b"] = true, ["a"] = new JsonArray(3, "x", null, false) } },
            new JsonObject { ["exists"] = false, ["columns"] = new JsonArray("name", "sex"), ["snapshot"] = 9_007_199_254_740_993 },
            new JsonObject { ["ratio"] = 1.50, ["big"] = 1e2 }, // not integers: the three-statement append takes it
            null,
            new JsonObject { ["control"] = "\u0001\u001f end", ["emoji"] = "😀" },
        };
        IReadOnlyList<AuditRecord> written;
        long oneTrip;
        await using (var writer = new AuditWriter(dataSource))
        {
            var records = new List<AuditRecord>();
            for (var round = 0; round < 4; round++)
            {
                foreach (var detail in details)
                {
                    records.Add(await writer.AppendAsync(new AuditEntry("caller", "gas", "verify.citizen", "grant:1", AuditOutcome.Ok, (JsonObject?)detail?.DeepClone())));
                }

                // Someone else appends: the writer's known end is stale, its next batch must notice and re-read.
                await log.AppendAsync(new AuditEntry("direct", "bureau", "test.direct", null, AuditOutcome.Ok), CancellationToken.None);
            }

            written = records;
            oneTrip = writer.OneTripBatches;
        }

        Assert.Equal(Enumerable.Range(0, 4).SelectMany(round => Enumerable.Range(round * 6 + 1, 5)).Select(i => (long)i), written.Select(r => r.Seq));
        // After the first append each round, the integer-only details went in one trip (3 per round); the others did not.
        Assert.Equal(12, oneTrip);
        var verification = await log.VerifyAsync(CancellationToken.None);
        Assert.True(verification.Intact, verification.FirstBroken?.Description);
        Assert.Equal(24, verification.Rows);
    }

    [Fact]
    public async Task The_writer_keeps_one_connection_and_after_losing_it_fails_that_batch_and_goes_on_with_a_new_one()
    {
        var dataSource = await postgres.CreateMigratedDatabaseAsync("audit_writer_reconnect");
        var log = new AuditLog(dataSource);
        async Task<int[]> WriterBackendsAsync()
        {
            await using var command = dataSource.CreateCommand(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'");
            var pids = new List<int>();
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                pids.Add(reader.GetInt32(0));
            }

            return [.. pids];
        }

        await using var writer = new AuditWriter(dataSource);
        for (var i = 0; i < 5; i++)
        {
            await writer.AppendAsync(new AuditEntry("caller", "gas", "verify.citizen", "grant:1", AuditOutcome.Ok, new JsonObject { ["i"] = i }));
        }

        // Five batches, one backend: the writer held its connection (a pooled open per batch would show as idle pool
        // connections too, so compare the backends before and after more appends instead).
        var before = await WriterBackendsAsync();
        for (var i = 5; i < 10; i++)
        {
            await writer.AppendAsync(new AuditEntry("caller", "gas", "verify.citizen", "grant:1", AuditOutcome.Ok, new JsonObject { ["i"] = i }));
        }

        Assert.Equal(before.Order(), (await WriterBackendsAsync()).Order());

        // Its backend is terminated: the next batch fails (its caller learns it), the one after runs on a new connection.
        await using (var kill = dataSource.CreateCommand("SELECT count(pg_terminate_backend(pid)) FROM unnest(@pids) AS p(pid)"))
        {
            kill.Parameters.AddWithValue("pids", before);
            Assert.True(Convert.ToInt64(await kill.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture) >= 1);
        }

        var failed = 0;
        AuditRecord? next = null;
        for (var attempt = 0; attempt < 3 && next is null; attempt++)
        {
            try
            {
                next = await writer.AppendAsync(new AuditEntry("caller", "gas", "verify.citizen", "grant:1", AuditOutcome.Ok, new JsonObject { ["after"] = attempt }));
            }
            catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
            {
                failed++;
            }
        }

        Assert.NotNull(next);
        Assert.True(failed <= 1, $"{failed} appends failed after one lost connection");
        Assert.Equal(11, next.Seq);
        var verification = await log.VerifyAsync(CancellationToken.None);
        Assert.True(verification.Intact, verification.FirstBroken?.Description);
        Assert.Equal(11, verification.Rows);
    }

    [Fact]
    public async Task Appends_from_concurrent_tasks_form_one_linear_intact_chain()
    {
        var dataSource = await postgres.CreateMigratedDatabaseAsync("audit_concurrent");
        var log = new AuditLog(dataSource);
        var empty = await log.VerifyAsync(CancellationToken.None);
        Assert.True(empty.Intact);
        Assert.Equal(0, empty.Rows);
        Assert.Null(empty.Head);

        const int Tasks = 6;
        const int PerTask = 25;
        var results = await Task.WhenAll(Enumerable.Range(0, Tasks).Select(t => Task.Run(async () =>
        {
            var records = new List<AuditRecord>();
            for (var i = 0; i < PerTask; i++)
            {
                // Unsorted keys, numbers jsonb rewrites (1e2, 1.50), escapes and Chinese text: the stored row must hash the same on re-read.
                var detail = new JsonObject
                {
                    ["z"] = i,
                    ["a"] = JsonNode.Parse("1e2"),
                    ["m"] = new JsonObject { ["y"] = JsonNode.Parse("1.50"), ["b"] = new JsonArray(true, null, "水务\"\n\t") },
                };
                records.Add(await log.AppendAsync(
                    new AuditEntry($"user{t}", t % 2 == 0 ? "water" : null, "query", i % 3 == 0 ? null : "water.meter_reading_daily",
                        (AuditOutcome)(i % 3), detail),
                    CancellationToken.None));
            }

            return records;
        })));

        var all = results.SelectMany(r => r).OrderBy(r => r.Seq).ToList();
        Assert.Equal(Enumerable.Range(1, Tasks * PerTask).Select(i => (long)i), all.Select(r => r.Seq));
        Assert.Equal(new string('0', 64), all[0].PrevHash);
        for (var i = 1; i < all.Count; i++)
        {
            Assert.Equal(all[i - 1].Hash, all[i].PrevHash);
        }

        Assert.Equal(all.Count, all.Select(r => r.Hash).Distinct().Count());
        var verification = await log.VerifyAsync(CancellationToken.None);
        Assert.True(verification.Intact, verification.FirstBroken?.Description);
        Assert.Equal(Tasks * PerTask, verification.Rows);
        Assert.Equal(all[^1].Hash, verification.Head);
    }

    [Fact]
    public async Task The_hash_is_sha256_of_the_previous_hash_and_the_documented_canonical_form()
    {
        var dataSource = await postgres.CreateMigratedDatabaseAsync("audit_form");
        var log = new AuditLog(dataSource);
        var first = await log.AppendAsync(new AuditEntry("key-17", "water", "grant.revoked", "grant:42", AuditOutcome.Ok,
            new JsonObject { ["reason"] = "到期 \"expired\"\u0001", ["b"] = JsonNode.Parse("2.50"), ["a"] = new JsonArray(1, false) }), CancellationToken.None);
        var second = await log.AppendAsync(new AuditEntry("alice", null, "auth.denied", null, AuditOutcome.Denied), CancellationToken.None);

        // The stored time is microseconds UTC; the form spells all six digits.
        var at1 = first.At.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
        var at2 = second.At.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
        Assert.Equal(0, first.At.Ticks % 10);
        var form1 = "[\"datahub.audit.v1\",1,\"" + at1 + "\",\"key-17\",\"water\",\"grant.revoked\",\"grant:42\",\"ok\","
            + "{\"a\":[1,false],\"b\":2.50,\"reason\":\"到期 \\\"expired\\\"\\u0001\"}]";
        var form2 = "[\"datahub.audit.v1\",2,\"" + at2 + "\",\"alice\",null,\"auth.denied\",null,\"denied\",{}]";
        var hash1 = Sha256(new byte[32], form1);
        Assert.Equal(Convert.ToHexStringLower(hash1), first.Hash);
        Assert.Equal(Convert.ToHexStringLower(Sha256(hash1, form2)), second.Hash);

        // And that is what the table holds.
        await using var command = dataSource.CreateCommand("SELECT encode(hash, 'hex'), encode(prev_hash, 'hex'), at FROM datahub.audit_log WHERE seq = 2");
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(second.Hash, reader.GetString(0));
        Assert.Equal(first.Hash, reader.GetString(1));
        Assert.Equal(second.At, reader.GetDateTime(2));
    }

    [Fact]
    public async Task Changing_a_rows_detail_is_detected_at_that_row()
    {
        var (dataSource, log) = await LogWithRowsAsync("audit_update", 10);
        await ExecuteAsync(dataSource, Bypass + """UPDATE datahub.audit_log SET detail = '{"i": 999}' WHERE seq = 4""");

        var result = await log.VerifyAsync(CancellationToken.None);

        Assert.False(result.Intact);
        Assert.Equal(10, result.Rows);
        Assert.Equal(4, result.FirstBroken!.Seq);
        Assert.Equal(AuditBreakReason.HashMismatch, result.FirstBroken.Reason);
    }

    [Fact]
    public async Task A_changed_row_whose_hash_was_recomputed_is_detected_at_the_next_row()
    {
        var (dataSource, log) = await LogWithRowsAsync("audit_rehash", 6);
        await using (var connection = await dataSource.OpenConnectionAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await using var read = new NpgsqlCommand("SELECT at, prev_hash FROM datahub.audit_log WHERE seq = 3", connection, transaction);
            DateTime at;
            byte[] prev;
            await using (var reader = await read.ExecuteReaderAsync())
            {
                await reader.ReadAsync();
                at = reader.GetDateTime(0);
                prev = reader.GetFieldValue<byte[]>(1);
            }

            var forged = AuditCanonicalForm.Hash(prev, AuditCanonicalForm.Canonical(3, at, "mallory", "water", "query", "water.meter_reading_daily", "ok", "{\"i\": 3}"));
            await using var update = new NpgsqlCommand(
                Bypass + "UPDATE datahub.audit_log SET actor = 'mallory', hash = @hash WHERE seq = 3", connection, transaction);
            update.Parameters.AddWithValue("hash", forged);
            await update.ExecuteNonQueryAsync();
            await transaction.CommitAsync();
        }

        var result = await log.VerifyAsync(CancellationToken.None);

        Assert.Equal(4, result.FirstBroken!.Seq);
        Assert.Equal(AuditBreakReason.PrevHashMismatch, result.FirstBroken.Reason);
    }

    [Fact]
    public async Task Deleting_a_middle_row_is_detected_at_the_row_after_it()
    {
        var (dataSource, log) = await LogWithRowsAsync("audit_delete", 10);
        await ExecuteAsync(dataSource, Bypass + "DELETE FROM datahub.audit_log WHERE seq = 5");

        var result = await log.VerifyAsync(CancellationToken.None);

        Assert.False(result.Intact);
        Assert.Equal(9, result.Rows);
        Assert.Equal(6, result.FirstBroken!.Seq);
        Assert.Equal(AuditBreakReason.PrevHashMismatch, result.FirstBroken.Reason);
        Assert.Contains("row 5 is missing", result.FirstBroken.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deleting_the_first_row_is_detected()
    {
        var (dataSource, log) = await LogWithRowsAsync("audit_delete_first", 3);
        await ExecuteAsync(dataSource, Bypass + "DELETE FROM datahub.audit_log WHERE seq = 1");

        var result = await log.VerifyAsync(CancellationToken.None);

        Assert.Equal(2, result.FirstBroken!.Seq);
        Assert.Equal(AuditBreakReason.PrevHashMismatch, result.FirstBroken.Reason);
    }

    [Fact]
    public async Task Swapping_two_rows_seq_is_detected_at_the_first_of_them()
    {
        var (dataSource, log) = await LogWithRowsAsync("audit_swap", 8);
        await ExecuteAsync(dataSource, Bypass + """
            UPDATE datahub.audit_log SET seq = 1000 WHERE seq = 5;
            UPDATE datahub.audit_log SET seq = 5 WHERE seq = 6;
            UPDATE datahub.audit_log SET seq = 6 WHERE seq = 1000;
            """);

        var result = await log.VerifyAsync(CancellationToken.None);

        Assert.False(result.Intact);
        Assert.Equal(8, result.Rows);
        Assert.Equal(5, result.FirstBroken!.Seq);
        Assert.Equal(AuditBreakReason.PrevHashMismatch, result.FirstBroken.Reason);
        Assert.Contains("reordered", result.FirstBroken.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Renumbering_the_tail_is_a_seq_gap()
    {
        var (dataSource, log) = await LogWithRowsAsync("audit_renumber", 4);
        await ExecuteAsync(dataSource, Bypass + "UPDATE datahub.audit_log SET seq = 40 WHERE seq = 4");

        var result = await log.VerifyAsync(CancellationToken.None);

        Assert.Equal(40, result.FirstBroken!.Seq);
        Assert.Equal(AuditBreakReason.SeqGap, result.FirstBroken.Reason);
    }

    [Theory]
    [InlineData("UPDATE datahub.audit_log SET outcome = 'denied' WHERE seq = 2")]
    [InlineData("DELETE FROM datahub.audit_log WHERE seq = 2")]
    [InlineData("TRUNCATE datahub.audit_log")]
    [InlineData("SET LOCAL datahub.audit_maintenance = off; DELETE FROM datahub.audit_log")]
    public async Task The_database_refuses_changes_without_the_bypass(string sql)
    {
        var (dataSource, log) = await LogWithRowsAsync("audit_guard", 3);

        var error = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(dataSource, sql));

        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, error.SqlState);
        Assert.Contains("append-only", error.MessageText, StringComparison.Ordinal);
        var result = await log.VerifyAsync(CancellationToken.None);
        Assert.True(result.Intact);
        Assert.Equal(3, result.Rows);
    }

    [Fact]
    public async Task A_role_that_does_not_own_the_table_appends_but_cannot_use_the_bypass()
    {
        var (dataSource, log) = await LogWithRowsAsync("audit_role", 2);
        var role = "audit_app_" + Guid.NewGuid().ToString("N")[..8];
        await ExecuteAsync(dataSource, $"""
            CREATE ROLE {role} NOLOGIN;
            GRANT USAGE ON SCHEMA datahub TO {role};
            GRANT SELECT, INSERT ON datahub.audit_log TO {role};
            """);
        try
        {
            // With INSERT and SELECT only it can append…
            await using (var connection = await dataSource.OpenConnectionAsync())
            await using (var transaction = await connection.BeginTransactionAsync())
            {
                await using (var setRole = new NpgsqlCommand($"SET LOCAL ROLE {role}", connection, transaction))
                {
                    await setRole.ExecuteNonQueryAsync();
                }

                var appended = await AuditLog.AppendAsync(connection, transaction, new AuditEntry("app", null, "query", null, AuditOutcome.Ok), CancellationToken.None);
                Assert.Equal(3, appended.Seq);
                await transaction.CommitAsync();
            }

            // …but not update, not even with the maintenance setting on.
            var denied = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(dataSource,
                $"SET LOCAL ROLE {role}; {Bypass} UPDATE datahub.audit_log SET actor = 'x' WHERE seq = 1"));
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, denied.SqlState);
            Assert.Contains("permission denied", denied.MessageText, StringComparison.Ordinal);

            // Even granted UPDATE and DELETE outright, the trigger refuses a role that is not the owner.
            await ExecuteAsync(dataSource, $"GRANT UPDATE, DELETE ON datahub.audit_log TO {role}");
            var refused = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(dataSource,
                $"SET LOCAL ROLE {role}; {Bypass} DELETE FROM datahub.audit_log WHERE seq = 1"));
            Assert.Contains("append-only", refused.MessageText, StringComparison.Ordinal);
            Assert.True((await log.VerifyAsync(CancellationToken.None)).Intact);
        }
        finally
        {
            await ExecuteAsync(dataSource, $"REVOKE ALL ON datahub.audit_log FROM {role}; REVOKE ALL ON SCHEMA datahub FROM {role}; DROP ROLE {role}");
        }
    }

    [Fact]
    public async Task An_append_rolled_back_with_its_transaction_leaves_no_gap()
    {
        var (dataSource, log) = await LogWithRowsAsync("audit_rollback", 2);
        await using (var connection = await dataSource.OpenConnectionAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            var pending = await AuditLog.AppendAsync(connection, transaction, new AuditEntry("bob", "water", "grant.approved", "grant:7", AuditOutcome.Ok), CancellationToken.None);
            Assert.Equal(3, pending.Seq);
            await transaction.RollbackAsync();
        }

        var next = await log.AppendAsync(new AuditEntry("bob", "water", "grant.approved", "grant:7", AuditOutcome.Error), CancellationToken.None);

        Assert.Equal(3, next.Seq);
        var result = await log.VerifyAsync(CancellationToken.None);
        Assert.True(result.Intact);
        Assert.Equal(3, result.Rows);
    }

    private async Task<(NpgsqlDataSource DataSource, AuditLog Log)> LogWithRowsAsync(string prefix, int rows)
    {
        var dataSource = await postgres.CreateMigratedDatabaseAsync(prefix);
        var log = new AuditLog(dataSource);
        for (var i = 1; i <= rows; i++)
        {
            await log.AppendAsync(new AuditEntry($"user{i % 3}", "water", i % 2 == 0 ? "export" : "query", "water.meter_reading_daily",
                AuditOutcome.Ok, new JsonObject { ["i"] = i }), CancellationToken.None);
        }

        Assert.True((await log.VerifyAsync(CancellationToken.None)).Intact);
        return (dataSource, log);
    }

    private static async Task ExecuteAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var command = new NpgsqlCommand(sql, connection, transaction))
        {
            await command.ExecuteNonQueryAsync();
        }

        await transaction.CommitAsync();
    }

    private static byte[] Sha256(byte[] prev, string form) => SHA256.HashData([.. prev, .. Encoding.UTF8.GetBytes(form)]);
}
