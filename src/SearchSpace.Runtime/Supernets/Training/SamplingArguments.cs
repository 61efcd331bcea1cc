namespace SearchSpaceDsl.Supernets.Training;

/// <summary>The argument checks the sampling strategies share.</summary>
internal static class SamplingArguments
{
    /// <summary>Throws when <paramref name="step"/> is negative or <paramref name="random"/> is null.</summary>
    public static void Check(int step, Random random)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        ArgumentNullException.ThrowIfNull(random);
    }
}
