using BenchmarkDotNet.Attributes;
using SearchSpaceDsl.Search.Pareto;

namespace SearchSpaceDsl.Bench;

/// <summary>
/// The Pareto tools a multi-objective search calls once per generation: the exact hypervolume (the three-objective
/// sweep and WFG in five objectives), hypervolume contributions, and non-dominated sorting. Every point set is drawn
/// once in <see cref="Setup"/> from a seeded <see cref="Random"/>, so each run measures the same inputs.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class ParetoBenchmarks
{
    private const int Seed = 42;

    private double[][] _sphere3 = null!;
    private double[][] _sphere5 = null!;
    private double[][] _sphere3Small = null!;
    private double[][] _uniform2 = null!;
    private double[][] _uniform3 = null!;
    private readonly double[] _reference3 = [1.1, 1.1, 1.1];
    private readonly double[] _reference5 = [1.1, 1.1, 1.1, 1.1, 1.1];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(Seed);
        _sphere3 = Sphere(random, 1000, 3);
        _sphere5 = Sphere(random, 100, 5);
        _sphere3Small = Sphere(random, 100, 3);
        _uniform2 = Uniform(random, 200, 2);
        _uniform3 = Uniform(random, 200, 3);
    }

    /// <summary>Points on the unit sphere in the positive orthant: mutually non-dominated, the hard case for hypervolume.</summary>
    private static double[][] Sphere(Random random, int n, int m)
    {
        var points = new double[n][];
        for (var i = 0; i < n; i++)
        {
            // |Gaussian| components give directions uniform on the positive orthant of the sphere.
            var v = new double[m];
            for (var j = 0; j < m; j++)
                v[j] = Math.Abs(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));
            var norm = Math.Sqrt(v.Sum(x => x * x));
            points[i] = [.. v.Select(x => x / norm)];
        }
        return points;
    }

    /// <summary>Uniform points in the unit cube: many fronts, as in a population of random architectures.</summary>
    private static double[][] Uniform(Random random, int n, int m)
        => [.. Enumerable.Range(0, n).Select(_ => Enumerable.Range(0, m).Select(_ => random.NextDouble()).ToArray())];

    /// <summary>Hypervolume of 1,000 mutually non-dominated points in 3 objectives (the sweep).</summary>
    [Benchmark]
    public double Hypervolume3D_1000() => Hypervolume.Compute(_sphere3, _reference3);

    /// <summary>Hypervolume of 100 mutually non-dominated points in 5 objectives (WFG).</summary>
    [Benchmark]
    public double Hypervolume5D_100() => Hypervolume.Compute(_sphere5, _reference5);

    /// <summary>Exclusive contributions of 100 mutually non-dominated points in 3 objectives (SMS-EMOA-style selection).</summary>
    [Benchmark]
    public double[] Contributions3D_100() => Hypervolume.Contributions(_sphere3Small, _reference3);

    /// <summary>Fast non-dominated sorting of 200 uniform points in 2 objectives.</summary>
    [Benchmark]
    public int[][] NonDominatedSort2D_200() => NonDominatedSorting.Sort(_uniform2);

    /// <summary>Fast non-dominated sorting of 200 uniform points in 3 objectives.</summary>
    [Benchmark]
    public int[][] NonDominatedSort3D_200() => NonDominatedSorting.Sort(_uniform3);
}
