namespace SearchSpaceDsl.Search.Pareto;

/// <summary>
/// The WFG algorithm (While, Bradstreet and Barone, "A fast way of calculating exact hypervolumes", IEEE TEC 2012)
/// with reusable buffers. The hypervolume of points sorted by their last objective is the sum of each point's
/// exclusive hypervolume with respect to the points before it; that is its own box minus the hypervolume of its
/// limit set (each earlier point made no better than it, componentwise maximum), reduced to its non-dominated
/// points. As every earlier point is no worse in the last objective, the limit set shares the point's last value,
/// so the limit set is measured in one objective fewer and scaled by the point's height in the last objective.
/// The recursion hands over to the sweeps of <see cref="HypervolumeSweep"/> at three objectives (or fewer).
/// </summary>
/// <remarks>
/// One buffer per number of objectives suffices: the recursion is depth-first and each level only writes the levels
/// below it. Points are stored flat (point i at <c>[i·d, i·d + d)</c>) and lie strictly inside the reference box.
/// </remarks>
internal sealed class WfgHypervolume
{
    private readonly double[] _reference;
    private readonly int _sweepDimensions;
    private readonly double[][] _raw;      // [d]: points of d objectives before sorting and filtering
    private readonly double[][] _sorted;   // [d]: the same after sorting (and, above the sweeps, filtering)
    private readonly int[] _order;
    private readonly double[] _keys;
    private readonly double[] _stairX;
    private readonly double[] _stairY;

    /// <summary>Buffers for sets of up to <paramref name="capacity"/> points of <c>reference.Length</c> objectives.</summary>
    /// <param name="capacity">The largest number of points a call will pass.</param>
    /// <param name="reference">The reference point.</param>
    /// <param name="sweepDimensions">At or below this many objectives the sweeps take over (1, 2 or 3; tests lower it to exercise the recursion).</param>
    public WfgHypervolume(int capacity, ReadOnlySpan<double> reference, int sweepDimensions = 3)
    {
        var m = reference.Length;
        _reference = reference.ToArray();
        _sweepDimensions = Math.Clamp(sweepDimensions, 1, 3);
        _raw = new double[m + 1][];
        _sorted = new double[m + 1][];
        for (var d = 1; d <= m; d++)
        {
            _raw[d] = new double[capacity * d];
            _sorted[d] = new double[capacity * d];
        }
        _order = new int[capacity];
        _keys = new double[capacity];
        _stairX = new double[capacity];
        _stairY = new double[capacity];
    }

    /// <summary>Where the caller writes the points of all objectives before <see cref="Compute"/>.</summary>
    public Span<double> Input => _raw[_reference.Length];

    /// <summary>The hypervolume of the first <paramref name="count"/> points of <see cref="Input"/> (which it reorders).</summary>
    public double Compute(int count)
    {
        var m = _reference.Length;
        return Measure(m, Prepare(m, count));
    }

    /// <summary>Like <see cref="Compute"/> but always sums exclusive hypervolumes at the top level, even where a sweep would do.</summary>
    public double ComputeByExclusiveSums(int count)
    {
        var m = _reference.Length;
        return SumExclusive(m, Prepare(m, count));
    }

    /// <summary>
    /// Moves the first <paramref name="count"/> points of <c>_raw[d]</c> into <c>_sorted[d]</c> sorted by the last
    /// objective; above the sweeps, also drops every point that another weakly dominates (WFG's key saving, as
    /// limit sets are mostly dominated). Returns how many points remain.
    /// </summary>
    private int Prepare(int d, int count)
    {
        var raw = _raw[d];
        var sorted = _sorted[d];
        var order = _order.AsSpan(0, count);
        for (var i = 0; i < count; i++)
            order[i] = i;
        if (d <= _sweepDimensions)
        {
            // The sweeps tolerate dominated points and ties in any order: a key sort is enough.
            var keys = _keys.AsSpan(0, count);
            for (var i = 0; i < count; i++)
                keys[i] = raw[i * d + d - 1];
            keys.Sort(order);
            for (var i = 0; i < count; i++)
                raw.AsSpan(order[i] * d, d).CopyTo(sorted.AsSpan(i * d, d));
            return count;
        }
        // Lexicographic order, last objective first: a point that weakly dominates another comes before it, so each
        // point need only be compared with the kept points before it, and the kept points stay sorted by the last objective.
        order.Sort(new LastFirstComparer(raw, d));
        var kept = 0;
        foreach (var index in order)
        {
            var point = raw.AsSpan(index * d, d);
            var dominated = false;
            for (var k = 0; k < kept && !dominated; k++)
                dominated = WeaklyDominates(sorted.AsSpan(k * d, d), point);
            if (!dominated)
                point.CopyTo(sorted.AsSpan(kept++ * d, d));
        }
        return kept;
    }

    /// <summary>The hypervolume of the first <paramref name="count"/> points of <c>_sorted[d]</c>.</summary>
    private double Measure(int d, int count)
    {
        if (count == 0)
            return 0;
        var points = _sorted[d].AsSpan(0, count * d);
        if (d == 1)
            return HypervolumeSweep.Length(points, count, _reference[0]);
        if (d <= _sweepDimensions)
        {
            return d == 2
                ? HypervolumeSweep.Area(points, count, _reference[0], _reference[1])
                : HypervolumeSweep.Volume(points, count, _reference, _stairX, _stairY);
        }
        if (count == 1)
            return Box(points, d);
        if (count == 2)
        {
            // Two boxes overlap in the box of their componentwise maximum.
            var overlap = 1.0;
            for (var j = 0; j < d; j++)
                overlap *= _reference[j] - Math.Max(points[j], points[d + j]);
            return Box(points[..d], d) + Box(points[d..], d) - overlap;
        }
        return SumExclusive(d, count);
    }

    /// <summary>Σ over the points of <c>_sorted[d]</c> of their exclusive hypervolume with respect to the points before them.</summary>
    private double SumExclusive(int d, int count)
    {
        var points = _sorted[d];
        var lower = d - 1;
        var limit = _raw[lower];
        var sum = 0.0;
        for (var k = 0; k < count; k++)
        {
            var point = points.AsSpan(k * d, d);
            // Every earlier point is no worse in the last objective, so its limit point takes this point's last value.
            for (var i = 0; i < k; i++)
            {
                for (var j = 0; j < lower; j++)
                    limit[i * lower + j] = Math.Max(points[i * d + j], point[j]);
            }
            var limitVolume = k == 0 ? 0 : Measure(lower, Prepare(lower, k));
            var exclusive = Box(point[..lower], lower) - limitVolume;
            sum += (_reference[lower] - point[lower]) * exclusive;
        }
        return sum;
    }

    /// <summary>The volume of the box between a point and the reference in the first <paramref name="d"/> objectives.</summary>
    private double Box(ReadOnlySpan<double> point, int d)
    {
        var volume = 1.0;
        for (var j = 0; j < d; j++)
            volume *= _reference[j] - point[j];
        return volume;
    }

    private static bool WeaklyDominates(ReadOnlySpan<double> first, ReadOnlySpan<double> second)
    {
        for (var j = 0; j < first.Length; j++)
        {
            if (first[j] > second[j])
                return false;
        }
        return true;
    }

    /// <summary>Compares point indices lexicographically: the last objective first, then the others in order.</summary>
    private readonly struct LastFirstComparer(double[] points, int d) : IComparer<int>
    {
        public int Compare(int a, int b)
        {
            var c = points[a * d + d - 1].CompareTo(points[b * d + d - 1]);
            for (var j = 0; c == 0 && j < d - 1; j++)
                c = points[a * d + j].CompareTo(points[b * d + j]);
            return c;
        }
    }
}
