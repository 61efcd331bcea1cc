namespace SearchSpaceDsl.Supernets.Training;

/// <summary>
/// Trains <see cref="Count"/> architectures per step, each drawn uniformly from <c>TArch.Space</c>
/// (<see cref="SearchSpace{TArch}.Sample"/>), independently of each other (a step may draw one twice).
/// </summary>
/// <typeparam name="TArch">The generated architecture type.</typeparam>
public sealed class RandomSampling<TArch> : ISamplingStrategy<TArch> where TArch : class, IArchitecture<TArch>
{
    /// <summary>Creates the strategy.</summary>
    /// <param name="count">The number of architectures per step, at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is below 1.</exception>
    public RandomSampling(int count = 1)
    {
        if (count < 1)
            throw new ArgumentOutOfRangeException(nameof(count), count, $"Random sampling needs at least 1 architecture per step, got {count}.");
        Count = count;
    }

    /// <summary>The number of architectures per step.</summary>
    public int Count { get; }

    /// <inheritdoc />
    public IReadOnlyList<TArch> ArchitecturesFor(int step, Random random)
    {
        SamplingArguments.Check(step, random);
        var space = TArch.Space;
        var architectures = new TArch[Count];
        for (var i = 0; i < architectures.Length; i++)
            architectures[i] = space.Sample(random);
        return architectures;
    }

    /// <inheritdoc />
    public override string ToString() => $"random ({Count} per step)";
}
