namespace SearchSpaceDsl.Tests.Search.Pareto;

/// <summary>Seeded point sets and slow, independent hypervolume references for the Pareto tests.</summary>
internal static class ParetoTestData
{
    /// <summary>Uniform points in [0, 1)^m.</summary>
    public static double[][] Uniform(Random random, int n, int m)
        => [.. Enumerable.Range(0, n).Select(_ => Enumerable.Range(0, m).Select(_ => random.NextDouble()).ToArray())];

    /// <summary>Integer points in [0, range)^m: many ties and duplicates.</summary>
    public static double[][] Integers(Random random, int n, int m, int range)
        => [.. Enumerable.Range(0, n).Select(_ => Enumerable.Range(0, m).Select(_ => (double)random.Next(range)).ToArray())];

    /// <summary>Points on the unit sphere in the positive orthant: mutually non-dominated (a ≤ b, a ≠ b would make |a| &lt; |b|).</summary>
    public static double[][] Sphere(Random random, int n, int m)
    {
        var points = new double[n][];
        for (var i = 0; i < n; i++)
        {
            var v = new double[m];
            var norm = 0.0;
            for (var j = 0; j < m; j++)
            {
                // |Gaussian| directions are uniform on the positive orthant of the sphere.
                var g = Math.Abs(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));
                v[j] = g + 1e-12;
                norm += v[j] * v[j];
            }
            norm = Math.Sqrt(norm);
            for (var j = 0; j < m; j++)
                v[j] /= norm;
            points[i] = v;
        }
        return points;
    }

    /// <summary>Inclusion–exclusion over every non-empty subset: Σ (−1)^(|S|+1) · box(componentwise max of S).</summary>
    public static double InclusionExclusion(IReadOnlyList<double[]> points, double[] reference)
    {
        var m = reference.Length;
        var total = 0.0;
        void Visit(int next, double[] max, int size)
        {
            for (var i = next; i < points.Count; i++)
            {
                var joined = new double[m];
                var box = 1.0;
                for (var j = 0; j < m; j++)
                {
                    joined[j] = size == 0 ? points[i][j] : Math.Max(max[j], points[i][j]);
                    box *= Math.Max(0, reference[j] - joined[j]);
                }
                if (box == 0)
                    continue; // every superset has an empty box too
                total += size % 2 == 0 ? box : -box;
                Visit(i + 1, joined, size + 1);
            }
        }
        Visit(0, new double[m], 0);
        return total;
    }

    /// <summary>The number of unit cells [c, c+1)^m with integer corner c in [0, reference) that some point lies below.</summary>
    public static long GridCells(IReadOnlyList<double[]> points, int[] reference)
    {
        var m = reference.Length;
        var corner = new int[m];
        long count = 0;
        while (true)
        {
            if (points.Any(p => p.Select((v, j) => v <= corner[j]).All(b => b)))
                count++;
            var k = 0;
            while (k < m && ++corner[k] == reference[k])
                corner[k++] = 0;
            if (k == m)
                return count;
        }
    }

    /// <summary>A Monte Carlo estimate of the hypervolume and its standard error, sampling the box [componentwise min, reference].</summary>
    public static (double Estimate, double StandardError) MonteCarlo(IReadOnlyList<double[]> points, double[] reference, int samples, int seed)
    {
        var m = reference.Length;
        var low = Enumerable.Range(0, m).Select(j => points.Min(p => p[j])).ToArray();
        var volume = Enumerable.Range(0, m).Aggregate(1.0, (v, j) => v * (reference[j] - low[j]));
        var random = new Random(seed);
        var x = new double[m];
        var hits = 0;
        for (var s = 0; s < samples; s++)
        {
            for (var j = 0; j < m; j++)
                x[j] = low[j] + random.NextDouble() * (reference[j] - low[j]);
            foreach (var p in points)
            {
                var j = 0;
                while (j < m && p[j] <= x[j])
                    j++;
                if (j == m)
                {
                    hits++;
                    break;
                }
            }
        }
        var fraction = (double)hits / samples;
        return (fraction * volume, volume * Math.Sqrt(fraction * (1 - fraction) / samples));
    }

    /// <summary>Whether <paramref name="a"/> dominates <paramref name="b"/>, written out independently of the code under test.</summary>
    public static bool Dominates(double[] a, double[] b)
        => a.Zip(b).All(t => t.First <= t.Second) && a.Zip(b).Any(t => t.First < t.Second);
}
