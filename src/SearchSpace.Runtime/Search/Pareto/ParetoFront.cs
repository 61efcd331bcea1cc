namespace SearchSpaceDsl.Search.Pareto;

/// <summary>The non-dominated subset of a set of points in minimization form.</summary>
public static class ParetoFront
{
    /// <summary>The ascending indices of the points no other point dominates (duplicates of a non-dominated point are all kept).</summary>
    /// <exception cref="ArgumentException">A point is null, ragged or non-finite.</exception>
    public static int[] Indices(IReadOnlyList<double[]> points)
    {
        Dominance.CheckPoints(points, nameof(points));
        var result = new List<int>();
        for (var i = 0; i < points.Count; i++)
        {
            var dominated = false;
            for (var j = 0; j < points.Count && !dominated; j++)
                dominated = j != i && Dominance.Dominates(points[j], points[i]);
            if (!dominated)
                result.Add(i);
        }
        return [.. result];
    }
}
