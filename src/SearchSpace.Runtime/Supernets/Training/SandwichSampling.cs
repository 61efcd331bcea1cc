namespace SearchSpaceDsl.Supernets.Training;

/// <summary>
/// The sandwich rule (BigNAS, OFA, whittle): every step trains the largest architecture, the smallest, and
/// <see cref="RandomCount"/> architectures drawn uniformly from <c>TArch.Space</c>, in that order. Training the two
/// extremes every step bounds the whole space from above and below; the random ones cover the middle.
/// </summary>
/// <typeparam name="TArch">The generated architecture type.</typeparam>
public sealed class SandwichSampling<TArch> : ISamplingStrategy<TArch> where TArch : class, IArchitecture<TArch>
{
    /// <summary>Creates the strategy.</summary>
    /// <param name="randomCount">The number of uniformly drawn architectures after the largest and the smallest, at least 0.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="randomCount"/> is negative.</exception>
    public SandwichSampling(int randomCount = 2)
    {
        if (randomCount < 0)
            throw new ArgumentOutOfRangeException(nameof(randomCount), randomCount, $"Sandwich sampling needs 0 or more random architectures per step, got {randomCount}.");
        RandomCount = randomCount;
    }

    /// <summary>The number of uniformly drawn architectures per step (besides the largest and the smallest).</summary>
    public int RandomCount { get; }

    /// <summary>
    /// <c>[Largest, Smallest, k uniform samples]</c> of <c>TArch.Space</c>; only the samples draw from
    /// <paramref name="random"/>.
    /// </summary>
    /// <inheritdoc />
    public IReadOnlyList<TArch> ArchitecturesFor(int step, Random random)
    {
        SamplingArguments.Check(step, random);
        var space = TArch.Space;
        var architectures = new TArch[2 + RandomCount];
        architectures[0] = space.Largest;
        architectures[1] = space.Smallest;
        for (var i = 2; i < architectures.Length; i++)
            architectures[i] = space.Sample(random);
        return architectures;
    }

    /// <inheritdoc />
    public override string ToString() => $"sandwich (largest, smallest and {RandomCount} random per step)";
}
