using System.Collections.Concurrent;

namespace DataHub.Exchange.Identity;

/// <summary>
/// Copies of rows read from PostgreSQL, each kept with the <see cref="AccessChanges.Token"/> it was read under and used
/// only while that token is current. Without a listening <see cref="AccessChanges"/> nothing is kept.
/// </summary>
/// <typeparam name="TKey">What a copy is found by.</typeparam>
/// <typeparam name="TValue">The copy.</typeparam>
/// <param name="changes">The changes that make copies stale; null keeps nothing.</param>
/// <param name="capacity">Copies held at most (beyond it all are dropped and read again).</param>
public sealed class AccessCache<TKey, TValue>(AccessChanges? changes, int capacity = 10_000)
    where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, (long Token, TValue Value)> _entries = new();

    /// <summary>The token to read under: take it before reading, and pass it to <see cref="Keep"/>.</summary>
    public long Token => changes?.Token ?? AccessChanges.NoCaching;

    /// <summary>A copy still current, if any.</summary>
    /// <param name="key">What the copy is found by.</param>
    /// <param name="value">The copy.</param>
    public bool TryGet(TKey key, out TValue value)
    {
        if (changes is not null && _entries.TryGetValue(key, out var entry) && changes.IsCurrent(entry.Token))
        {
            value = entry.Value;
            return true;
        }

        value = default!;
        return false;
    }

    /// <summary>Keeps a copy read under <paramref name="token"/> (nothing when that was <see cref="AccessChanges.NoCaching"/>).</summary>
    /// <param name="key">What the copy is found by.</param>
    /// <param name="token">The token taken before the read.</param>
    /// <param name="value">The copy.</param>
    public void Keep(TKey key, long token, TValue value)
    {
        if (token == AccessChanges.NoCaching)
        {
            return;
        }

        if (_entries.Count >= capacity)
        {
            _entries.Clear();
        }

        _entries[key] = (token, value);
    }
}
