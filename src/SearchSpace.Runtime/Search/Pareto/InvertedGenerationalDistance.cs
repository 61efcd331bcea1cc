namespace SearchSpaceDsl.Search.Pareto;

/// <summary>
/// The inverted generational distance of an approximation set to a reference front, both in minimization form and
/// unnormalized: how far, on average, each reference point is from the approximation. Lower is better; 0 when every
/// reference point belongs to the approximation.
/// </summary>
public static class InvertedGenerationalDistance
{
    /// <summary>IGD: the mean over the reference points of the Euclidean distance to the nearest approximation point.</summary>
    /// <param name="approximation">The points found (minimization form).</param>
    /// <param name="referenceFront">Points of the true (or best known) Pareto front, with as many objectives.</param>
    /// <exception cref="ArgumentException">
    /// A set is empty, a point is null or non-finite, or the points differ in their number of objectives.
    /// </exception>
    public static double Compute(IReadOnlyList<double[]> approximation, IReadOnlyList<double[]> referenceFront)
        => Mean(approximation, referenceFront, plus: false);

    /// <summary>
    /// IGD+ (Ishibuchi et al. 2015): like <see cref="Compute"/> with the distance from reference point z to
    /// approximation point a counting only where a is worse, <c>√Σ max(aᵢ − zᵢ, 0)²</c>. Unlike IGD it is weakly
    /// Pareto compliant: an approximation that dominates another never scores worse.
    /// </summary>
    /// <param name="approximation">The points found (minimization form).</param>
    /// <param name="referenceFront">Points of the true (or best known) Pareto front, with as many objectives.</param>
    /// <exception cref="ArgumentException">
    /// A set is empty, a point is null or non-finite, or the points differ in their number of objectives.
    /// </exception>
    public static double ComputePlus(IReadOnlyList<double[]> approximation, IReadOnlyList<double[]> referenceFront)
        => Mean(approximation, referenceFront, plus: true);

    private static double Mean(IReadOnlyList<double[]> approximation, IReadOnlyList<double[]> referenceFront, bool plus)
    {
        var m = Check(approximation, referenceFront);
        var total = 0.0;
        foreach (var z in referenceFront)
        {
            var nearest = double.PositiveInfinity;
            foreach (var a in approximation)
            {
                var squared = 0.0;
                for (var j = 0; j < m && squared < nearest; j++)
                {
                    var difference = plus ? Math.Max(a[j] - z[j], 0) : a[j] - z[j];
                    squared += difference * difference;
                }
                nearest = Math.Min(nearest, squared);
            }
            total += Math.Sqrt(nearest);
        }
        return total / referenceFront.Count;
    }

    private static int Check(IReadOnlyList<double[]> approximation, IReadOnlyList<double[]> referenceFront)
    {
        ArgumentNullException.ThrowIfNull(approximation);
        ArgumentNullException.ThrowIfNull(referenceFront);
        if (approximation.Count == 0)
            throw new ArgumentException("The approximation set is empty: IGD needs at least one point to measure distances to.", nameof(approximation));
        if (referenceFront.Count == 0)
            throw new ArgumentException("The reference front is empty: IGD averages over its points and needs at least one.", nameof(referenceFront));
        var m = Dominance.CheckPoints(approximation, nameof(approximation));
        if (m == 0)
            throw new ArgumentException("The points have no objectives.", nameof(approximation));
        if (referenceFront[0] is { } first && first.Length != m)
            throw new ArgumentException($"The reference front has {first.Length} objectives but the approximation has {m}.", nameof(referenceFront));
        Dominance.CheckPoints(referenceFront, nameof(referenceFront), m);
        return m;
    }
}
