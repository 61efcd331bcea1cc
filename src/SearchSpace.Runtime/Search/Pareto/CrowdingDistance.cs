namespace SearchSpaceDsl.Search.Pareto;

/// <summary>
/// NSGA-II's crowding distance: for each point of a front, the sum over objectives of the normalized gap between its
/// two neighbours along that objective; the extremes of each objective get +∞ so they are always kept.
/// </summary>
public static class CrowdingDistance
{
    /// <summary>The crowding distance of each point of <paramref name="front"/>, in the order of <paramref name="front"/>.</summary>
    /// <param name="points">All points (minimization form).</param>
    /// <param name="front">Indices into <paramref name="points"/> of one front.</param>
    /// <exception cref="ArgumentException">A point is null, ragged or non-finite, or an index is out of range.</exception>
    public static double[] Compute(IReadOnlyList<double[]> points, IReadOnlyList<int> front)
    {
        var m = Dominance.CheckPoints(points, nameof(points));
        ArgumentNullException.ThrowIfNull(front);
        var n = front.Count;
        // Checked before the small-front shortcut, so that a bad index fails whatever the front's size.
        foreach (var index in front)
        {
            if ((uint)index >= (uint)points.Count)
                throw new ArgumentException($"Front index {index} is outside the {points.Count} points.", nameof(front));
        }
        var distance = new double[n];
        if (n <= 2)
        {
            Array.Fill(distance, double.PositiveInfinity);
            return distance;
        }
        var order = new int[n];
        for (var objective = 0; objective < m; objective++)
        {
            for (var i = 0; i < n; i++)
                order[i] = i;
            // Ties broken by position keep the result independent of the sort algorithm.
            Array.Sort(order, (a, b) =>
            {
                var c = points[front[a]][objective].CompareTo(points[front[b]][objective]);
                return c != 0 ? c : a.CompareTo(b);
            });
            var low = points[front[order[0]]][objective];
            var high = points[front[order[n - 1]]][objective];
            distance[order[0]] = double.PositiveInfinity;
            distance[order[n - 1]] = double.PositiveInfinity;
            var range = high - low;
            if (range <= 0)
                continue;
            for (var i = 1; i < n - 1; i++)
                distance[order[i]] += (points[front[order[i + 1]]][objective] - points[front[order[i - 1]]][objective]) / range;
        }
        return distance;
    }
}
