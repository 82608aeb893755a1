using Npgsql;

namespace DataHub.Exchange.Identity;

/// <summary>
/// Tells the exchange's in-memory copies of keys, users and grants when they may be stale, so that every call can
/// be checked without reading PostgreSQL while a revocation still takes effect on the next call.
/// </summary>
/// <remarks>
/// <para>Migration 0013 puts a statement trigger on <c>api_key</c>, <c>app_user</c>, <c>exchange_request</c> and
/// <c>exchange_grant</c> that sends <c>NOTIFY datahub_access</c> when any row changes. While listening, one connection
/// of its own waits for those notifications, and each one moves <see cref="Token"/> on: a copy made under an older
/// token is never used again. Writes made through this process (<see cref="Changed"/>) move it at once, before the
/// writing call returns; writes made elsewhere (another <c>datahub serve</c>, the CLI, plain SQL) move it when their
/// notification arrives, which PostgreSQL sends as the writing transaction commits.</para>
/// <para>When not listening (before <see cref="StartAsync"/>, after the connection is lost, until it is back) the
/// token is <see cref="NoCaching"/> and readers go to PostgreSQL every time.</para>
/// <para><see cref="SettleAsync"/> is a barrier for writers outside this process: it sends a notification of its own
/// and waits until it has come back, by which time every change committed before it has been seen (PostgreSQL
/// delivers notifications to a listener in commit order).</para>
/// </remarks>
public sealed class AccessChanges : IAsyncDisposable
{
    /// <summary>The notification channel of migration 0013.</summary>
    public const string Channel = "datahub_access";

    /// <summary>The token while nothing may be cached.</summary>
    public const long NoCaching = -1;

    private readonly NpgsqlDataSource _dataSource;
    private readonly CancellationTokenSource _stop = new();
    private readonly Dictionary<string, TaskCompletionSource> _barriers = new(StringComparer.Ordinal);
    private readonly Lock _barrierLock = new();
    private long _generation;
    private volatile bool _listening;
    private Task? _loop;

    /// <summary>Creates the listener (not yet listening: <see cref="StartAsync"/>).</summary>
    /// <param name="dataSource">The catalog database (migration 0013 applied).</param>
    public AccessChanges(NpgsqlDataSource dataSource)
    {
        _dataSource = dataSource ?? throw new ArgumentNullException(nameof(dataSource));
    }

    /// <summary>True while notifications are being received.</summary>
    public bool Listening => _listening;

    /// <summary>The current token: copies read under it stay valid until it moves; <see cref="NoCaching"/> when not listening.</summary>
    public long Token => _listening ? Volatile.Read(ref _generation) : NoCaching;

    /// <summary>How many times the token has moved (for status output and tests).</summary>
    public long Generation => Volatile.Read(ref _generation);

    /// <summary>True when a copy read under <paramref name="token"/> may still be used.</summary>
    /// <param name="token">The token read before the copy was read from PostgreSQL.</param>
    public bool IsCurrent(long token) => token != NoCaching && _listening && token == Volatile.Read(ref _generation);

    /// <summary>This process has changed keys, users or grants: every copy read before now is stale.</summary>
    public void Changed() => Interlocked.Increment(ref _generation);

    /// <summary>Starts listening and waits until the first LISTEN is in place.</summary>
    /// <param name="ct">Cancels the wait (the listener goes on trying).</param>
    public async Task StartAsync(CancellationToken ct)
    {
        if (_loop is not null)
        {
            return;
        }

        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _loop = Task.Run(() => ListenAsync(ready, _stop.Token), CancellationToken.None);
        await ready.Task.WaitAsync(ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Waits until every change committed in PostgreSQL before this call has been seen here (a no-op when not
    /// listening: then nothing is cached).
    /// </summary>
    /// <param name="ct">Cancels the wait.</param>
    public async Task SettleAsync(CancellationToken ct)
    {
        if (!_listening)
        {
            return;
        }

        var payload = "settle:" + Guid.NewGuid().ToString("N");
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_barrierLock)
        {
            _barriers[payload] = arrived;
        }

        try
        {
            await using (var notify = _dataSource.CreateCommand("SELECT pg_notify(@channel, @payload)"))
            {
                notify.Parameters.AddWithValue("channel", Channel);
                notify.Parameters.AddWithValue("payload", payload);
                await notify.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }

            await arrived.Task.WaitAsync(TimeSpan.FromSeconds(30), ct).ConfigureAwait(false);
        }
        finally
        {
            lock (_barrierLock)
            {
                _barriers.Remove(payload);
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }

        _stop.Dispose();
    }

    private async Task ListenAsync(TaskCompletionSource ready, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await using var connection = await _dataSource.OpenConnectionAsync(stop).ConfigureAwait(false);
                connection.Notification += OnNotification;
                await using (var listen = new NpgsqlCommand("LISTEN " + Channel, connection))
                {
                    await listen.ExecuteNonQueryAsync(stop).ConfigureAwait(false);
                }

                // Anything may have changed while nobody listened.
                Interlocked.Increment(ref _generation);
                _listening = true;
                ready.TrySetResult();
                while (true)
                {
                    await connection.WaitAsync(stop).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                break;
            }
#pragma warning disable CA1031 // a lost connection only turns caching off until the next one listens
            catch (Exception)
#pragma warning restore CA1031
            {
                _listening = false;
                Interlocked.Increment(ref _generation);
                try
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(500), stop).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
            finally
            {
                _listening = false;
            }
        }

        ready.TrySetResult();
    }

    private void OnNotification(object sender, NpgsqlNotificationEventArgs e)
    {
        Interlocked.Increment(ref _generation);
        if (e.Payload.StartsWith("settle:", StringComparison.Ordinal))
        {
            lock (_barrierLock)
            {
                if (_barriers.TryGetValue(e.Payload, out var arrived))
                {
                    arrived.TrySetResult();
                }
            }
        }
    }
}
