namespace SearchSpaceDsl;

/// <summary>
/// The random numbers of one draw of genes: seeded once from the caller's <see cref="Random"/>, then SplitMix64
/// with Lemire's multiply-shift reduction. Seeded <see cref="Random"/> instances use .NET's legacy generator, which
/// costs several nanoseconds a call; a member of a deep space needs a draw per layer slot.
/// </summary>
internal struct GeneRandom(Random seed)
{
    private ulong _state = (ulong)seed.NextInt64();

    /// <summary>A uniform integer in [0, n), exactly (the rare biased outcomes are rejected).</summary>
    public int Next(int n)
    {
        ulong product = (ulong)NextUInt32() * (uint)n;
        uint low = (uint)product;
        if (low < (uint)n)
        {
            uint threshold = (uint)-n % (uint)n;
            while (low < threshold)
            {
                product = (ulong)NextUInt32() * (uint)n;
                low = (uint)product;
            }
        }
        return (int)(product >> 32);
    }

    /// <summary>A uniform double in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    private uint NextUInt32() => (uint)(NextUInt64() >> 32);

    private ulong NextUInt64()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
