using SearchSpaceDsl.Search.Pareto;
using static SearchSpaceDsl.Tests.Search.Pareto.ParetoTestData;

namespace SearchSpaceDsl.Tests.Search.Pareto;

public sealed class HypervolumeContributionsTests
{
    [Fact]
    public void Two_objectives_hand_computed()
    {
        // Staircase (1,3), (2,2), (3,1) under ref (4,4): each owns one unit square alone,
        // [1,2)×[3,4), [2,3)×[2,3), [3,4)×[1,2). (3,3) is dominated: 0. (9,0) is outside: 0.
        double[][] points = [[1, 3], [3, 3], [2, 2], [3, 1], [9, 0]];
        Assert.Equal([1, 0, 1, 1, 0], Hypervolume.Contributions(points, [4.0, 4.0]));
    }

    [Fact]
    public void A_point_owns_the_volume_of_the_points_only_it_dominates()
    {
        // ref (3,3): (1,1) covers 4; without it (2,2) still covers 1, so (1,1) contributes 3 and (2,2) nothing.
        Assert.Equal([3, 0], Hypervolume.Contributions([[1.0, 1.0], [2.0, 2.0]], [3.0, 3.0]));
        // One objective, ref 5: 1 contributes 2 − 1 = 1; 2 and 4 are dominated.
        Assert.Equal([1, 0, 0], Hypervolume.Contributions([[1.0], [2.0], [4.0]], [5.0]));
    }

    [Fact]
    public void Each_copy_of_a_duplicate_contributes_nothing()
    {
        // Removing one copy leaves the other, so neither owns anything; (1,3) still owns [1,2)×[3,4).
        Assert.Equal([1, 0, 0], Hypervolume.Contributions([[1.0, 3.0], [2.0, 2.0], [2.0, 2.0]], [4.0, 4.0]));
        // ref (3,3,3,3): (0,2,2,1) has box 3·1·1·2 = 6, of which (1,1,1,1)'s box covers (1,2,2,1) → 2·1·1·2 = 4: 2.
        Assert.Equal([0, 0, 2], Hypervolume.Contributions([[1.0, 1, 1, 1], [1.0, 1, 1, 1], [0.0, 2, 2, 1]], [3.0, 3, 3, 3]));
    }

    [Theory]
    [InlineData(1, 51)]
    [InlineData(2, 52)]
    [InlineData(3, 53)]
    [InlineData(4, 54)]
    [InlineData(5, 55)]
    public void Contributions_equal_the_loss_from_removing_each_point(int m, int seed)
    {
        var random = new Random(seed);
        var reference = Enumerable.Repeat(1.0, m).ToArray();
        for (var trial = 0; trial < 6; trial++)
        {
            var n = 5 + random.Next(30);
            var points = (trial % 3) switch
            {
                0 => Sphere(random, n, m),
                1 => Uniform(random, n, m),
                _ => Integers(random, n, m, 6).Select(p => p.Select(v => v / 5).ToArray()).ToArray(), // ties, duplicates, points on the reference
            };
            var all = Hypervolume.Compute(points, reference);
            var contributions = Hypervolume.Contributions(points, reference);
            Assert.Equal(n, contributions.Length);
            var tolerance = 1e-9 * Math.Max(all, 1e-300);
            for (var i = 0; i < n; i++)
            {
                var without = Hypervolume.Compute([.. points.Where((_, k) => k != i)], reference);
                Assert.True(Math.Abs(all - without - contributions[i]) <= tolerance, $"point {i}: {contributions[i]:R} vs {all - without:R}");
                Assert.True(contributions[i] >= 0);
                if (points.Where((_, k) => k != i).Any(q => q.Zip(points[i]).All(t => t.First <= t.Second)))
                    Assert.Equal(0, contributions[i]); // weakly dominated by another point: exactly nothing
            }
        }
    }
}
