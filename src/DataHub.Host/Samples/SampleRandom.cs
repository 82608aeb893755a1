namespace DataHub.Host.Samples;

/// <summary>
/// A small deterministic generator (SplitMix64) seeded per row or per block, so that any row's content depends only
/// on the seed and its position and chunks can be made in parallel and in any order.
/// </summary>
internal struct SampleRandom
{
    private ulong _state;

    public SampleRandom(ulong seed, ulong stream, ulong position)
    {
        _state = Mix(seed ^ Mix(stream + 0x9E3779B97F4A7C15UL) ^ Mix(position * 0xD1B54A32D192ED03UL + 1));
    }

    /// <summary>The next 64 random bits.</summary>
    public ulong NextBits()
    {
        _state += 0x9E3779B97F4A7C15UL;
        return Mix(_state);
    }

    /// <summary>A number in [0, max).</summary>
    public int Next(int max) => (int)((NextBits() >> 33) * (ulong)max >> 31);

    /// <summary>A number in [min, max].</summary>
    public int Between(int min, int max) => min + Next(max - min + 1);

    /// <summary>True with the given probability.</summary>
    public bool Chance(double probability) => (NextBits() >> 11) * (1.0 / (1UL << 53)) < probability;

    /// <summary>One element of a list.</summary>
    public T Pick<T>(IReadOnlyList<T> items) => items[Next(items.Count)];

    /// <summary>A stable hash of a number (for values that must be the same on every row of an account or household).</summary>
    public static ulong Hash(ulong seed, ulong stream, ulong value) => new SampleRandom(seed, stream, value).NextBits();

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
