namespace SearchSpaceDsl.Search.Optimizers;

/// <summary>Variation steps shared by the evolutionary optimizers.</summary>
internal static class EvolutionSteps
{
    /// <summary>How many single-choice steps a child may take away from its parent to find an unseen architecture.</summary>
    public const int MaxSteps = 8;

    /// <summary>
    /// A mutation of <paramref name="parent"/> not in <paramref name="seen"/>: one choice changed, or, when every such
    /// neighbour tried was seen, further steps away, up to <see cref="MaxSteps"/>. Without this, an aging population
    /// whose parents' neighbourhoods are all evaluated proposes only duplicates and stalls.
    /// </summary>
    public static TArch MutateUnseen<TArch>(ISearchSpace<TArch> space, TArch parent, HashSet<TArch> seen, Random random)
    {
        var child = space.Mutate(parent, random);
        for (var step = 1; step < MaxSteps && seen.Contains(child); step++)
        {
            // A few tries at this distance before moving one step further.
            var next = space.Mutate(parent, random);
            child = seen.Contains(next) ? space.Mutate(child, random) : next;
        }
        return child;
    }
}
