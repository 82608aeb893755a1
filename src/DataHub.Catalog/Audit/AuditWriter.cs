using System.Data;
using System.Diagnostics;
using System.Threading.Channels;
using Npgsql;

namespace DataHub.Catalog.Audit;

/// <summary>
/// Group commit for the audit log: callers hand in entries and await their commit; one writer appends whatever has
/// queued (up to <see cref="MaxBatch"/>) in a single transaction, in arrival order, so the chain stays linear and
/// verifiable while thousands of calls a second are audited (each append otherwise waits for its own commit under
/// the one append lock). Used for high-rate audited calls such as verification lookups.
/// </summary>
public sealed class AuditWriter : IAsyncDisposable
{
    /// <summary>The most entries one transaction appends.</summary>
    public const int MaxBatch = 500;

    private readonly NpgsqlDataSource _dataSource;
    private readonly Channel<(AuditEntry Entry, TaskCompletionSource<(AuditRecord Record, long Started, long Committed)> Done, long Queued)> _queue =
        Channel.CreateUnbounded<(AuditEntry, TaskCompletionSource<(AuditRecord Record, long Started, long Committed)>, long)>(new UnboundedChannelOptions { SingleReader = true });

    private readonly Task _loop;

    private long _oneTripBatches;

    // The loop's own connection (used by the loop only), opened at the first batch and replaced after a failure.
    private NpgsqlConnection? _connection;

    // The chain's end after this writer's last commit (used by the loop only); null when unknown.
    private long _lastSeq;
    private byte[]? _lastHash;

    /// <summary>Starts the writer over a migrated database.</summary>
    /// <param name="dataSource">The catalog database (migration 0008 applied).</param>
    public AuditWriter(NpgsqlDataSource dataSource)
    {
        _dataSource = dataSource ?? throw new ArgumentNullException(nameof(dataSource));
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Batches appended in one round trip after the chain end this writer knew (the others took three statements).</summary>
    public long OneTripBatches => Interlocked.Read(ref _oneTripBatches);

    /// <summary>Per entry: milliseconds from <see cref="AppendAsync"/> to the caller running again after the commit.</summary>
    public SampleRing Waits { get; } = new();

    /// <summary>Per entry: milliseconds it queued before its batch started.</summary>
    public SampleRing Queued { get; } = new();

    /// <summary>Per entry: milliseconds from its batch's start to the commit having returned.</summary>
    public SampleRing Commits { get; } = new();

    /// <summary>Per entry: milliseconds from the commit having returned to the caller running again.</summary>
    public SampleRing WakeUps { get; } = new();

    /// <summary>Per batch: its entries.</summary>
    public SampleRing BatchSizes { get; } = new();

    /// <summary>Queues an entry; completes once the transaction holding it has committed.</summary>
    /// <param name="entry">What happened.</param>
    /// <returns>Where the entry landed in the chain.</returns>
    /// <exception cref="InvalidOperationException">The writer is stopping.</exception>
    public async Task<AuditRecord> AppendAsync(AuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var done = new TaskCompletionSource<(AuditRecord Record, long Started, long Committed)>(TaskCreationOptions.RunContinuationsAsynchronously);
        var queued = Stopwatch.GetTimestamp();
        if (!_queue.Writer.TryWrite((entry, done, queued)))
        {
            throw new InvalidOperationException("The audit writer is stopping.");
        }

        var (record, started, committed) = await done.Task.ConfigureAwait(false);
        var now = Stopwatch.GetTimestamp();
        Waits.Add(Stopwatch.GetElapsedTime(queued, now).TotalMilliseconds);
        Queued.Add(Stopwatch.GetElapsedTime(queued, started).TotalMilliseconds);
        Commits.Add(Stopwatch.GetElapsedTime(started, committed).TotalMilliseconds);
        WakeUps.Add(Stopwatch.GetElapsedTime(committed, now).TotalMilliseconds);
        return record;
    }

    /// <summary>Stops accepting entries and waits until every queued one is written.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
        if (_connection is not null)
        {
            await _connection.DisposeAsync().ConfigureAwait(false);
            _connection = null;
        }
    }

    private async Task RunAsync()
    {
        var batch = new List<(AuditEntry Entry, TaskCompletionSource<(AuditRecord Record, long Started, long Committed)> Done, long Queued)>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var item))
            {
                batch.Add(item);
            }

            var started = Stopwatch.GetTimestamp();
            BatchSizes.Add(batch.Count);
            try
            {
                IReadOnlyList<AuditRecord>? records = null;
                // One connection of its own, kept open: no pool reset between batches, so the prepared append stays.
                var connection = _connection ??= await _dataSource.OpenConnectionAsync().ConfigureAwait(false);

                // The chain's end is known from this writer's last commit: one round trip, unless someone else
                // appended since (or a detail holds a non-integer number), when the three-statement append runs.
                if (_lastHash is not null)
                {
                    var fast = await AuditLog.TryAppendAfterAsync(connection, [.. batch.Select(b => b.Entry)], _lastSeq, _lastHash, CancellationToken.None)
                        .ConfigureAwait(false);
                    if (fast is not null)
                    {
                        records = [.. fast.Select(f => f.Record)];
                        Interlocked.Increment(ref _oneTripBatches);
                        (_lastSeq, _lastHash) = (fast[^1].Record.Seq, fast[^1].Hash);
                    }
                }

                if (records is null)
                {
                    _lastHash = null;
                    await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted).ConfigureAwait(false);
                    records = await AuditLog.AppendManyAsync(connection, transaction, [.. batch.Select(b => b.Entry)], CancellationToken.None).ConfigureAwait(false);
                    await transaction.CommitAsync().ConfigureAwait(false);
                    (_lastSeq, _lastHash) = (records[^1].Seq, Convert.FromHexString(records[^1].Hash));
                }

                var committed = Stopwatch.GetTimestamp();
                for (var i = 0; i < batch.Count; i++)
                {
                    batch[i].Done.TrySetResult((records[i], started, committed));
                }
            }
#pragma warning disable CA1031 // every waiting caller must learn of the failure; the loop goes on for the next batch
            catch (Exception e)
#pragma warning restore CA1031
            {
                _lastHash = null;
                if (_connection is not null)
                {
                    // The connection may be broken or mid-transaction: the next batch starts on a fresh one.
                    await _connection.DisposeAsync().ConfigureAwait(false);
                    _connection = null;
                }

                foreach (var (_, done, _) in batch)
                {
                    done.TrySetException(e);
                }
            }

            batch.Clear();
        }
    }
}
