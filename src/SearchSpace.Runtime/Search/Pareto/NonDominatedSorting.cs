namespace SearchSpaceDsl.Search.Pareto;

/// <summary>Fast non-dominated sorting (Deb et al., NSGA-II): points in minimization form, grouped into fronts.</summary>
public static class NonDominatedSorting
{
    /// <summary>
    /// The fronts of <paramref name="points"/>: front 0 holds the indices of the non-dominated points, front 1 those
    /// dominated only by front 0, and so on. Indices ascend within a front; equal points share a front.
    /// O(M·N²) time, O(N²) worst-case memory.
    /// </summary>
    /// <exception cref="ArgumentException">A point is null, ragged or non-finite.</exception>
    public static int[][] Sort(IReadOnlyList<double[]> points)
    {
        Dominance.CheckPoints(points, nameof(points));
        var n = points.Count;
        var dominatedBy = new int[n];               // how many points dominate i
        var dominates = new List<int>?[n];          // the points i dominates
        var fronts = new List<int[]>();
        var current = new List<int>();
        for (var i = 0; i < n; i++)
        {
            for (var j = i + 1; j < n; j++)
            {
                if (Dominance.Dominates(points[i], points[j]))
                {
                    (dominates[i] ??= []).Add(j);
                    dominatedBy[j]++;
                }
                else if (Dominance.Dominates(points[j], points[i]))
                {
                    (dominates[j] ??= []).Add(i);
                    dominatedBy[i]++;
                }
            }
            // Every pair involving i has been compared by now (pairs with a smaller index in earlier rows).
            if (dominatedBy[i] == 0)
                current.Add(i);
        }
        while (current.Count > 0)
        {
            current.Sort();
            fronts.Add([.. current]);
            var next = new List<int>();
            foreach (var i in current)
            {
                if (dominates[i] is not { } list)
                    continue;
                foreach (var j in list)
                {
                    if (--dominatedBy[j] == 0)
                        next.Add(j);
                }
            }
            current = next;
        }
        return [.. fronts];
    }

    /// <summary>The front index (rank) of every point: 0 for non-dominated points.</summary>
    public static int[] Ranks(IReadOnlyList<double[]> points)
    {
        var ranks = new int[points?.Count ?? 0];
        var fronts = Sort(points!);
        for (var f = 0; f < fronts.Length; f++)
        {
            foreach (var i in fronts[f])
                ranks[i] = f;
        }
        return ranks;
    }
}
