namespace SearchSpaceDsl.Search.Pareto;

/// <summary>
/// Exact hypervolume in one, two and three objectives by sweeping along the last objective. Points are stored flat
/// (point i at <c>[i·d, i·d + d)</c>), sorted by their last objective in ascending order, and lie strictly inside the
/// reference box; dominated points and duplicates are allowed. Ties in the last objective may come in any order.
/// </summary>
internal static class HypervolumeSweep
{
    /// <summary>One objective: the length from the smallest value to the reference.</summary>
    public static double Length(ReadOnlySpan<double> points, int count, double reference)
    {
        if (count == 0)
            return 0;
        var min = points[0];
        for (var i = 1; i < count; i++)
            min = Math.Min(min, points[i]);
        return reference - min;
    }

    /// <summary>Two objectives, sorted by y: each point that improves the smallest x so far adds a strip up to the reference y. O(n).</summary>
    public static double Area(ReadOnlySpan<double> points, int count, double referenceX, double referenceY)
    {
        var area = 0.0;
        var left = referenceX;
        for (var i = 0; i < count; i++)
        {
            var x = points[2 * i];
            if (x >= left)
                continue;
            // Equal y values in any order still add up to (referenceY − y)·(left − smallest x).
            area += (left - x) * (referenceY - points[2 * i + 1]);
            left = x;
        }
        return area;
    }

    /// <summary>
    /// Three objectives, sorted by z: inserts the points one z level at a time into the non-dominated staircase of
    /// their (x, y) projections, updating its area by exactly what each insertion adds, and integrates area over z.
    /// O(n log n) comparisons; the staircase lives in two arrays, so an insertion also moves O(n) doubles in one copy.
    /// </summary>
    /// <param name="points">The points, stride 3, sorted by z.</param>
    /// <param name="count">How many points.</param>
    /// <param name="reference">The reference point (at least 3 values; the first 3 are used).</param>
    /// <param name="stairX">Scratch of at least <paramref name="count"/> values: the staircase's x, ascending.</param>
    /// <param name="stairY">Scratch of at least <paramref name="count"/> values: the staircase's y, descending.</param>
    public static double Volume(ReadOnlySpan<double> points, int count, ReadOnlySpan<double> reference, Span<double> stairX, Span<double> stairY)
    {
        double referenceX = reference[0], referenceY = reference[1], referenceZ = reference[2];
        var size = 0;
        var area = 0.0;
        var volume = 0.0;
        for (var i = 0; i < count; i++)
        {
            var x = points[3 * i];
            var y = points[3 * i + 1];
            var z = points[3 * i + 2];
            // The first staircase point to the right of x; the one before it has the smallest y among x' ≤ x.
            var position = UpperBound(stairX[..size], x);
            if (position == 0 || stairY[position - 1] > y)
            {
                var start = position;
                if (position > 0 && stairX[position - 1] == x)
                    start = position - 1; // same x, larger y: the new point dominates it
                var height = start > 0 ? stairY[start - 1] : referenceY;
                var left = x;
                var end = start;
                // Staircase points with y ≥ the new y are dominated by it: add the area above them, then drop them.
                while (end < size && stairY[end] >= y)
                {
                    area += (stairX[end] - left) * (height - y);
                    left = stairX[end];
                    height = stairY[end];
                    end++;
                }
                area += ((end < size ? stairX[end] : referenceX) - left) * (height - y);
                var removed = end - start;
                if (removed != 1)
                {
                    stairX[end..size].CopyTo(stairX[(start + 1)..]);
                    stairY[end..size].CopyTo(stairY[(start + 1)..]);
                }
                stairX[start] = x;
                stairY[start] = y;
                size += 1 - removed;
            }
            var nextZ = i + 1 < count ? points[3 * (i + 1) + 2] : referenceZ;
            volume += area * (nextZ - z);
        }
        return volume;
    }

    /// <summary>The index of the first value greater than <paramref name="value"/> in ascending <paramref name="sorted"/>.</summary>
    private static int UpperBound(ReadOnlySpan<double> sorted, double value)
    {
        int low = 0, high = sorted.Length;
        while (low < high)
        {
            var middle = (low + high) >>> 1;
            if (sorted[middle] <= value)
                low = middle + 1;
            else
                high = middle;
        }
        return low;
    }
}
