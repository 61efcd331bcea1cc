namespace SearchSpaceDsl.Search.Pareto;

/// <summary>
/// The exact hypervolume indicator of points in minimization form: the measure of the region
/// <c>{x : p ≤ x ≤ reference for some point p}</c>. A point with any objective at or beyond the reference contributes
/// nothing and is ignored; dominated points and duplicates are allowed.
/// </summary>
/// <remarks>
/// One objective: the distance from the smallest value to the reference. Two: a sort and a sweep, O(n log n).
/// Three: a sweep over the third objective that keeps the two-dimensional staircase and its area up to date,
/// O(n log n) comparisons (1,000 points take well under a millisecond). Four or more: the WFG algorithm (While,
/// Bradstreet and Barone 2012), which sums exclusive hypervolumes of limit sets and reaches the three-objective
/// sweep at its bottom; exponential in the number of objectives in the worst case (the problem is #P-hard).
/// </remarks>
public static class Hypervolume
{
    /// <summary>The hypervolume dominated by <paramref name="points"/> and bounded by <paramref name="reference"/>.</summary>
    /// <param name="points">Objective vectors in minimization form, each as long as <paramref name="reference"/>.</param>
    /// <param name="reference">The reference point (an upper bound of the region measured).</param>
    /// <returns>The hypervolume; 0 when no point lies strictly inside the reference box.</returns>
    /// <exception cref="ArgumentException">
    /// The reference is empty or non-finite, or a point is null, non-finite or of another length than the reference.
    /// </exception>
    public static double Compute(IReadOnlyList<double[]> points, ReadOnlySpan<double> reference)
    {
        var m = CheckInput(points, reference);
        var inside = InsideIndices(points, reference);
        if (inside.Count == 0)
            return 0;
        var workspace = new WfgHypervolume(inside.Count, reference);
        Fill(workspace.Input, points, inside, m);
        return workspace.Compute(inside.Count);
    }

    /// <summary>
    /// Each point's exclusive hypervolume: the hypervolume of all points minus that of all points but this one.
    /// Zero for a point outside the reference box, a dominated point and each copy of a duplicated point.
    /// </summary>
    /// <param name="points">Objective vectors in minimization form, each as long as <paramref name="reference"/>.</param>
    /// <param name="reference">The reference point.</param>
    /// <returns>One contribution per point, in the order of <paramref name="points"/>.</returns>
    /// <remarks>
    /// Each contribution is computed as the point's own box minus the hypervolume of its limit set (every other point
    /// made no better than it), which is more accurate than subtracting two large hypervolumes. n hypervolumes of
    /// n − 1 points in all, each usually small since limit sets are mostly dominated.
    /// </remarks>
    /// <exception cref="ArgumentException">As for <see cref="Compute"/>.</exception>
    public static double[] Contributions(IReadOnlyList<double[]> points, ReadOnlySpan<double> reference)
    {
        var m = CheckInput(points, reference);
        var contributions = new double[points.Count];
        var inside = InsideIndices(points, reference);
        var n = inside.Count;
        if (n == 0)
            return contributions;
        var flat = new double[n * m];
        Fill(flat, points, inside, m);
        var workspace = new WfgHypervolume(n, reference);
        var limit = workspace.Input;
        for (var c = 0; c < n; c++)
        {
            var point = flat.AsSpan(c * m, m);
            if (IsWeaklyDominated(flat, n, m, c))
                continue; // its box lies inside another point's box, so nothing is exclusively its own
            var count = 0;
            for (var i = 0; i < n; i++)
            {
                if (i == c)
                    continue;
                for (var j = 0; j < m; j++)
                    limit[count * m + j] = Math.Max(flat[i * m + j], point[j]);
                count++;
            }
            var box = 1.0;
            for (var j = 0; j < m; j++)
                box *= reference[j] - point[j];
            // Rounding can leave a tiny negative difference where the limit set fills almost all of the box.
            contributions[inside[c]] = Math.Max(0, box - workspace.Compute(count));
        }
        return contributions;
    }

    /// <summary>
    /// The hypervolume by WFG's sum of exclusive hypervolumes at the top level, for tests that compare it with the
    /// sweeps: below the top, sets of <paramref name="sweepDimensions"/> or fewer objectives go to the sweeps.
    /// </summary>
    internal static double ComputeWfg(IReadOnlyList<double[]> points, ReadOnlySpan<double> reference, int sweepDimensions = 3)
    {
        var m = CheckInput(points, reference);
        if (m < 2)
            throw new ArgumentException("WFG's recursion needs at least two objectives.", nameof(reference));
        var inside = InsideIndices(points, reference);
        if (inside.Count == 0)
            return 0;
        var workspace = new WfgHypervolume(inside.Count, reference, sweepDimensions);
        Fill(workspace.Input, points, inside, m);
        return workspace.ComputeByExclusiveSums(inside.Count);
    }

    /// <summary>Validates the reference and the points and returns the number of objectives.</summary>
    private static int CheckInput(IReadOnlyList<double[]> points, ReadOnlySpan<double> reference)
    {
        ArgumentNullException.ThrowIfNull(points);
        if (reference.IsEmpty)
            throw new ArgumentException("The reference point needs at least one objective.", nameof(reference));
        for (var j = 0; j < reference.Length; j++)
        {
            if (!double.IsFinite(reference[j]))
                throw new ArgumentException($"The reference point has a non-finite value ({reference[j]}) in objective {j}.", nameof(reference));
        }
        for (var i = 0; i < points.Count; i++)
        {
            if (points[i] is { } p && p.Length != reference.Length)
                throw new ArgumentException($"Point {i} has {p.Length} objectives but the reference point has {reference.Length}.", nameof(points));
        }
        return Dominance.CheckPoints(points, nameof(points), reference.Length);
    }

    /// <summary>The indices of the points strictly inside the reference box (the others add no volume).</summary>
    private static List<int> InsideIndices(IReadOnlyList<double[]> points, ReadOnlySpan<double> reference)
    {
        var inside = new List<int>(points.Count);
        for (var i = 0; i < points.Count; i++)
        {
            var p = points[i];
            var j = 0;
            while (j < p.Length && p[j] < reference[j])
                j++;
            if (j == p.Length)
                inside.Add(i);
        }
        return inside;
    }

    private static void Fill(Span<double> flat, IReadOnlyList<double[]> points, List<int> indices, int m)
    {
        for (var i = 0; i < indices.Count; i++)
            points[indices[i]].CopyTo(flat.Slice(i * m, m));
    }

    /// <summary>Whether another point is no worse than point <paramref name="c"/> in every objective (a duplicate counts).</summary>
    private static bool IsWeaklyDominated(double[] flat, int n, int m, int c)
    {
        for (var i = 0; i < n; i++)
        {
            if (i == c)
                continue;
            var j = 0;
            while (j < m && flat[i * m + j] <= flat[c * m + j])
                j++;
            if (j == m)
                return true;
        }
        return false;
    }
}
