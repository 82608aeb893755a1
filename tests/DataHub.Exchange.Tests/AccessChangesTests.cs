using DataHub.Exchange.Identity;
using Npgsql;

namespace DataHub.Exchange.Tests;

/// <summary>
/// Keys and grants checked from memory must still fail on the next call after a change: made here (at once), made by
/// another process (once its notification arrives, which <see cref="AccessChanges.SettleAsync"/> waits for), and with
/// caching off whenever the notification connection is lost.
/// </summary>
public sealed class AccessChangesTests(ExchangePostgresFixture fixture) : IClassFixture<ExchangePostgresFixture>
{
    [Fact]
    public async Task A_key_revoked_here_is_refused_on_the_very_next_check_and_one_revoked_elsewhere_once_its_notification_is_in()
    {
        await using var changes = new AccessChanges(fixture.DataSource);
        await changes.StartAsync(CancellationToken.None);
        var here = new IdentityStore(fixture.DataSource, changes);
        var elsewhere = new IdentityStore(fixture.DataSource); // another node: no shared memory

        var first = await here.CreateApiKeyAsync("gas", null, ["analyst"], TimeSpan.FromDays(1), "test", CancellationToken.None);
        var second = await here.CreateApiKeyAsync("gas", null, ["analyst"], TimeSpan.FromDays(1), "test", CancellationToken.None);
        Assert.NotNull((await here.AuthenticateAsync(first.Secret, CancellationToken.None)).Caller);
        Assert.NotNull((await here.AuthenticateAsync(second.Secret, CancellationToken.None)).Caller);

        // Both are cached now: a check reads nothing from PostgreSQL. Revoked through this store: refused at once.
        Assert.True(await here.RevokeApiKeyAsync(first.Key.Id, "test", CancellationToken.None));
        Assert.Equal(ApiKeyFailure.Revoked, (await here.AuthenticateAsync(first.Secret, CancellationToken.None)).Failure);

        // Revoked by another node: the trigger's notification drops the copy.
        var before = changes.Generation;
        Assert.True(await elsewhere.RevokeApiKeyAsync(second.Key.Id, "test", CancellationToken.None));
        await changes.SettleAsync(CancellationToken.None);
        Assert.True(changes.Generation > before + 1, "the revocation's own notification and the barrier's both arrived");
        Assert.Equal(ApiKeyFailure.Revoked, (await here.AuthenticateAsync(second.Secret, CancellationToken.None)).Failure);
    }

    [Fact]
    public async Task A_user_deactivated_or_a_key_aged_by_plain_sql_is_refused_after_the_notification()
    {
        await using var changes = new AccessChanges(fixture.DataSource);
        await changes.StartAsync(CancellationToken.None);
        var store = new IdentityStore(fixture.DataSource, changes);
        var name = "cache.user" + Guid.NewGuid().ToString("N")[..8];
        await store.CreateUserAsync(new ExchangeUser(name, "gas", "缓存测试", ["analyst"], true), "test", CancellationToken.None);
        var userKey = await store.CreateApiKeyAsync("gas", name, ["analyst"], TimeSpan.FromDays(1), "test", CancellationToken.None);
        var aging = await store.CreateApiKeyAsync("gas", null, ["analyst"], TimeSpan.FromDays(1), "test", CancellationToken.None);
        Assert.NotNull((await store.AuthenticateAsync(userKey.Secret, CancellationToken.None)).Caller);
        Assert.NotNull((await store.AuthenticateAsync(aging.Secret, CancellationToken.None)).Caller);

        await Sql("UPDATE datahub.app_user SET active = false WHERE name = @p", name);
        await Sql("UPDATE datahub.api_key SET created_at = now() - interval '2 days', expires_at = now() - interval '1 second' WHERE id = @p", aging.Key.Id);
        await changes.SettleAsync(CancellationToken.None);
        Assert.Equal(ApiKeyFailure.UserInactive, (await store.AuthenticateAsync(userKey.Secret, CancellationToken.None)).Failure);
        Assert.Equal(ApiKeyFailure.Expired, (await store.AuthenticateAsync(aging.Secret, CancellationToken.None)).Failure);
    }

    [Fact]
    public async Task Losing_the_notification_connection_turns_caching_off_until_it_listens_again()
    {
        await using var changes = new AccessChanges(fixture.DataSource);
        Assert.Equal(AccessChanges.NoCaching, changes.Token);
        await changes.StartAsync(CancellationToken.None);
        var token = changes.Token;
        Assert.NotEqual(AccessChanges.NoCaching, token);
        Assert.True(changes.IsCurrent(token));

        // Kill the listening backend, as a restart of PostgreSQL or a dropped connection would.
        await using (var kill = fixture.DataSource.CreateCommand(
            $"SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE query = 'LISTEN {AccessChanges.Channel}' AND datname = current_database() AND pid <> pg_backend_pid()"))
        {
            Assert.True((long)(await kill.ExecuteScalarAsync())! >= 1);
        }

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (changes.IsCurrent(token) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        Assert.False(changes.IsCurrent(token), "a copy read before the connection was lost is never used again");
        while (!changes.Listening && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.True(changes.Listening, "the listener connects again");
        Assert.NotEqual(token, changes.Token);
    }

    private async Task Sql(string sql, string parameter)
    {
        await using var command = fixture.DataSource.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter("p", parameter));
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
    }
}
