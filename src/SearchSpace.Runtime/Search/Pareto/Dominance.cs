namespace SearchSpaceDsl.Search.Pareto;

/// <summary>Pareto dominance between objective vectors in minimization form.</summary>
public static class Dominance
{
    /// <summary>
    /// Whether <paramref name="first"/> dominates <paramref name="second"/>: no worse (not larger) in every objective
    /// and strictly better in at least one.
    /// </summary>
    /// <exception cref="ArgumentException">The vectors differ in length.</exception>
    public static bool Dominates(ReadOnlySpan<double> first, ReadOnlySpan<double> second)
    {
        if (first.Length != second.Length)
            throw new ArgumentException($"Objective vectors of different lengths ({first.Length} and {second.Length}) cannot be compared.", nameof(second));
        var strictlyBetter = false;
        for (var i = 0; i < first.Length; i++)
        {
            if (first[i] > second[i])
                return false;
            if (first[i] < second[i])
                strictlyBetter = true;
        }
        return strictlyBetter;
    }

    /// <summary>Checks that every point has <paramref name="objectives"/> finite entries (or the first point's count when null) and returns that count.</summary>
    internal static int CheckPoints(IReadOnlyList<double[]> points, string paramName, int? objectives = null)
    {
        ArgumentNullException.ThrowIfNull(points, paramName);
        var m = objectives ?? (points.Count > 0 ? points[0]?.Length ?? 0 : 0);
        for (var i = 0; i < points.Count; i++)
        {
            var p = points[i] ?? throw new ArgumentException($"Point {i} is null.", paramName);
            if (p.Length != m)
                throw new ArgumentException($"Point {i} has {p.Length} objectives; expected {m}.", paramName);
            for (var j = 0; j < m; j++)
            {
                if (!double.IsFinite(p[j]))
                    throw new ArgumentException($"Point {i} has a non-finite value ({p[j]}) in objective {j}.", paramName);
            }
        }
        return m;
    }
}
