using SearchSpaceDsl.Search.Pareto;
using static SearchSpaceDsl.Tests.Search.Pareto.ParetoTestData;

namespace SearchSpaceDsl.Tests.Search.Pareto;

public sealed class HypervolumeTests
{
    private static void AssertRelative(double expected, double actual, double tolerance = 1e-9)
        => Assert.True(Math.Abs(expected - actual) <= tolerance * Math.Max(1, Math.Abs(expected)), $"expected {expected:R}, got {actual:R}");

    [Fact]
    public void One_objective_is_the_distance_from_the_smallest_value()
    {
        // ref 4: the best point 1 gives 4 − 1 = 3; 5 lies beyond the reference.
        Assert.Equal(3, Hypervolume.Compute([[3.0], [1.0], [5.0], [1.0]], [4.0]));
    }

    [Fact]
    public void Two_objectives_hand_computed_with_dominated_duplicate_and_outside_points()
    {
        // Staircase (1,3), (2,2), (3,1) under ref (4,4), swept by x:
        // (1,3): (4−1)·(4−3) = 3; (2,2): (4−2)·(3−2) = 2; (3,1): (4−3)·(2−1) = 1; total 6.
        double[][] front = [[1, 3], [2, 2], [3, 1]];
        Assert.Equal(6, Hypervolume.Compute(front, [4.0, 4.0]));
        // (3,3) is dominated, (2,2) duplicated, (0,4) and (4,0) touch the reference, (9,−1) lies beyond it: still 6.
        double[][] noisy = [[3, 3], .. front, [2, 2], [0, 4], [4, 0], [9, -1]];
        Assert.Equal(6, Hypervolume.Compute(noisy, [4.0, 4.0]));
    }

    [Fact]
    public void Three_objectives_hand_computed_by_inclusion_exclusion()
    {
        // Boxes under ref (4,4,4): (1,2,3) → 3·2·1 = 6, (2,3,1) → 2·1·3 = 6, (3,1,2) → 1·3·2 = 6, sum 18.
        // Pairwise maxima (2,3,3), (3,2,3), (3,3,2) → 2 each, 6 in all; all three (3,3,3) → 1.
        // 18 − 6 + 1 = 13.
        double[][] points = [[1, 2, 3], [2, 3, 1], [3, 1, 2]];
        Assert.Equal(13, Hypervolume.Compute(points, [4.0, 4.0, 4.0]));
        // (3,3,3) and (2,3,3) are dominated, (1,2,3) duplicated, (0,0,4) on the reference's face: still 13.
        double[][] noisy = [[3, 3, 3], .. points, [1, 2, 3], [2, 3, 3], [0, 0, 4]];
        Assert.Equal(13, Hypervolume.Compute(noisy, [4.0, 4.0, 4.0]));
    }

    [Fact]
    public void Three_objectives_with_equal_coordinates_hand_computed()
    {
        // z-slices under ref (3,3,3): z ∈ [0,1) only (0,1,0) and (1,0,0): area 3·2 + 3·2 − 2·2 = 8;
        // z ∈ [1,3) also (0,0,1), covering 3·3 = 9. 8·1 + 9·2 = 26.
        double[][] points = [[0, 1, 0], [1, 0, 0], [0, 0, 1], [0, 1, 1], [1, 0, 0]];
        Assert.Equal(26, Hypervolume.Compute(points, [3.0, 3.0, 3.0]));
    }

    [Fact]
    public void Four_objectives_hand_computed()
    {
        Assert.Equal(24, Hypervolume.Compute([[0.0, 0, 0, 0]], [1.0, 2, 3, 4]));
        // (0,1,0,0) → 2·1·2·2 = 8, (1,0,0,0) → 8, overlap (1,1,0,0) → 1·1·2·2 = 4: 12.
        Assert.Equal(12, Hypervolume.Compute([[0.0, 1, 0, 0], [1.0, 0, 0, 0]], [2.0, 2, 2, 2]));
        // A third point (1,1,1,1) lies inside both boxes and adds nothing.
        Assert.Equal(12, Hypervolume.Compute([[0.0, 1, 0, 0], [1.0, 1, 1, 1], [1.0, 0, 0, 0]], [2.0, 2, 2, 2]));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(6)]
    public void Empty_input_or_all_points_outside_is_zero(int m)
    {
        var reference = Enumerable.Repeat(1.0, m).ToArray();
        Assert.Equal(0, Hypervolume.Compute([], reference));
        Assert.Equal(0, Hypervolume.Compute([Enumerable.Repeat(0.5, m - 1).Append(1.0).ToArray(), Enumerable.Repeat(2.0, m).ToArray()], reference));
        Assert.Equal(new double[2], Hypervolume.Contributions([Enumerable.Repeat(1.0, m).ToArray(), Enumerable.Repeat(3.0, m).ToArray()], reference));
    }

    [Theory]
    [InlineData(2, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 3)]
    [InlineData(3, 4)]
    [InlineData(4, 5)]
    [InlineData(5, 6)]
    public void Random_sets_match_inclusion_exclusion(int m, int seed)
    {
        var random = new Random(seed);
        var reference = Enumerable.Repeat(1.0, m).ToArray();
        for (var trial = 0; trial < 20; trial++)
        {
            var n = 1 + random.Next(12);
            // Uniform points (many dominated), sphere points (none dominated), some outside the unit box.
            var points = trial % 2 == 0 ? Uniform(random, n, m) : Sphere(random, n, m);
            if (trial % 3 == 0)
                points[0][random.Next(m)] = 1.5;
            AssertRelative(InclusionExclusion(points, reference), Hypervolume.Compute(points, reference));
        }
    }

    [Theory]
    [InlineData(2, 20, 11)]
    [InlineData(3, 12, 12)]
    [InlineData(4, 6, 13)]
    public void Integer_sets_with_ties_match_a_grid_cell_count(int m, int range, int seed)
    {
        // Integer coordinates give ties in every objective, equal x in the staircase and duplicates.
        var random = new Random(seed);
        var reference = Enumerable.Repeat(range, m).ToArray();
        for (var trial = 0; trial < 10; trial++)
        {
            var points = Integers(random, 1 + random.Next(40), m, range + 1);
            Assert.Equal(GridCells(points, reference), Hypervolume.Compute(points, [.. reference.Select(r => (double)r)]));
        }
    }

    [Theory]
    [InlineData(4, 21)]
    [InlineData(5, 22)]
    public void Fifty_points_match_a_monte_carlo_estimate(int m, int seed)
    {
        var random = new Random(seed);
        double[][] points = [.. Sphere(random, 30, m), .. Uniform(random, 20, m).Select(p => p.Select(v => 0.3 + v).ToArray())];
        var reference = Enumerable.Repeat(1.1, m).ToArray();
        var exact = Hypervolume.Compute(points, reference);
        var (estimate, standardError) = MonteCarlo(points, reference, 200_000, seed);
        Assert.True(Math.Abs(exact - estimate) <= 4 * standardError, $"exact {exact}, estimate {estimate} ± {standardError}");
    }

    [Theory]
    [InlineData(3, 31, 40)]
    [InlineData(3, 32, 300)]
    [InlineData(4, 33, 40)]
    public void Sweeps_and_wfg_recursion_agree(int m, int seed, int n)
    {
        var random = new Random(seed);
        var reference = Enumerable.Repeat(1.0, m).ToArray();
        foreach (var points in new[] { Sphere(random, n, m), Uniform(random, n, m), Integers(random, n, m, 5).Select(p => p.Select(v => v / 5).ToArray()).ToArray() })
        {
            var expected = Hypervolume.Compute(points, reference);
            for (var sweepDimensions = 1; sweepDimensions <= 3; sweepDimensions++)
                AssertRelative(expected, Hypervolume.ComputeWfg(points, reference, sweepDimensions));
        }
    }

    [Fact]
    public void Thousand_non_dominated_points_in_three_objectives()
    {
        var points = Sphere(new Random(41), 1000, 3);
        var reference = new[] { 1.0, 1.0, 1.0 };
        var volume = Hypervolume.Compute(points, reference);
        // Below the unit cube minus the ball's octant (1 − π/6 ≈ 0.4764) and close to it for 1,000 points.
        Assert.InRange(volume, 0.40, 1 - Math.PI / 6);
        AssertRelative(Hypervolume.ComputeWfg(points[..200], reference, 2), Hypervolume.Compute(points[..200], reference));
    }

    [Fact]
    public void Invalid_input_is_rejected_with_the_reason()
    {
        var e = Assert.Throws<ArgumentException>(() => Hypervolume.Compute([[1.0, 2.0]], [3.0, 3.0, 3.0]));
        Assert.Contains("reference point has 3", e.Message);
        Assert.Equal("points", e.ParamName);
        e = Assert.Throws<ArgumentException>(() => Hypervolume.Compute([[1.0, 2.0]], []));
        Assert.Contains("at least one objective", e.Message);
        e = Assert.Throws<ArgumentException>(() => Hypervolume.Compute([[1.0, 2.0]], [double.NaN, 1.0]));
        Assert.Equal("reference", e.ParamName);
        e = Assert.Throws<ArgumentException>(() => Hypervolume.Compute([[1.0, 2.0]], [double.PositiveInfinity, 1.0]));
        Assert.Contains("non-finite", e.Message);
        e = Assert.Throws<ArgumentException>(() => Hypervolume.Compute([[1.0, 2.0], [double.NaN, 0.0]], [3.0, 3.0]));
        Assert.Contains("Point 1", e.Message);
        e = Assert.Throws<ArgumentException>(() => Hypervolume.Compute([[1.0, 2.0], null!], [3.0, 3.0]));
        Assert.Contains("null", e.Message);
        Assert.Throws<ArgumentException>(() => Hypervolume.Contributions([[1.0, 2.0], [1.0]], [3.0, 3.0]));
        Assert.Throws<ArgumentNullException>(() => Hypervolume.Compute(null!, [3.0]));
    }
}
