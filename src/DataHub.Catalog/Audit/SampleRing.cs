namespace DataHub.Catalog.Audit;

/// <summary>
/// The most recent <see cref="Capacity"/> samples of a measurement (milliseconds, batch sizes), written by any thread
/// without a lock and read as a copy; for benchmarks that want the distribution of a phase, not only its mean.
/// </summary>
public sealed class SampleRing
{
    private readonly double[] _samples;
    private long _written;

    /// <summary>A ring of <paramref name="capacity"/> samples.</summary>
    /// <param name="capacity">Samples kept; older ones are overwritten.</param>
    public SampleRing(int capacity = 1 << 17)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _samples = new double[capacity];
    }

    /// <summary>Samples kept at most.</summary>
    public int Capacity => _samples.Length;

    /// <summary>Samples added since the start (including the overwritten ones).</summary>
    public long Count => Interlocked.Read(ref _written);

    /// <summary>Adds a sample.</summary>
    /// <param name="value">The sample.</param>
    public void Add(double value)
    {
        var slot = Interlocked.Increment(ref _written) - 1;
        _samples[slot % _samples.Length] = value;
    }

    /// <summary>The samples added after <paramref name="since"/> (a former <see cref="Count"/>) that are still kept, oldest first.</summary>
    /// <param name="since">Where to start.</param>
    public double[] Since(long since)
    {
        var end = Count;
        var start = Math.Max(since, end - _samples.Length);
        var copy = new double[Math.Max(0, end - start)];
        for (var i = 0; i < copy.Length; i++)
        {
            copy[i] = _samples[(start + i) % _samples.Length];
        }

        return copy;
    }
}
