using SearchSpaceDsl.Search.Pareto;
using static SearchSpaceDsl.Tests.Search.Pareto.ParetoTestData;

namespace SearchSpaceDsl.Tests.Search.Pareto;

public sealed class InvertedGenerationalDistanceTests
{
    [Fact]
    public void Hand_computed_igd()
    {
        // Reference (0,1): nearest (0,0) at 1. Reference (3,0): (0,0) at 3, (2,2) at √(1 + 4) = √5. Mean (1 + √5)/2.
        double[][] approximation = [[0, 0], [2, 2]];
        double[][] front = [[0, 1], [3, 0]];
        Assert.Equal((1 + Math.Sqrt(5)) / 2, InvertedGenerationalDistance.Compute(approximation, front), 12);
    }

    [Fact]
    public void Hand_computed_igd_plus_counts_only_where_the_approximation_is_worse()
    {
        // (1,1) against (0,2): IGD √(1 + 1); IGD+ √(max(1,0)² + max(−1,0)²) = 1. Same against (2,0). Means √2 and 1.
        double[][] approximation = [[1, 1]];
        double[][] front = [[0, 2], [2, 0]];
        Assert.Equal(Math.Sqrt(2), InvertedGenerationalDistance.Compute(approximation, front), 12);
        Assert.Equal(1, InvertedGenerationalDistance.ComputePlus(approximation, front), 12);
        // A point better than the whole front is at IGD+ distance 0.
        Assert.Equal(0, InvertedGenerationalDistance.ComputePlus([[-1.0, -1.0]], front));
        Assert.Equal(Math.Sqrt(2), InvertedGenerationalDistance.ComputePlus([[2.0, 2.0]], [[1.0, 1.0]]), 12);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    public void A_front_is_at_distance_zero_from_itself_and_a_superset(int m)
    {
        var front = Sphere(new Random(60 + m), 50, m);
        Assert.Equal(0, InvertedGenerationalDistance.Compute(front, front));
        Assert.Equal(0, InvertedGenerationalDistance.ComputePlus(front, front));
        double[][] superset = [.. front, .. Uniform(new Random(m), 10, m)];
        Assert.Equal(0, InvertedGenerationalDistance.Compute(superset, front));
        Assert.True(InvertedGenerationalDistance.Compute(front, superset) > 0);
    }

    [Fact]
    public void Invalid_sets_are_rejected_with_the_reason()
    {
        double[][] two = [[0, 1], [1, 0]];
        var e = Assert.Throws<ArgumentException>(() => InvertedGenerationalDistance.Compute([], two));
        Assert.Equal("approximation", e.ParamName);
        Assert.Contains("empty", e.Message);
        e = Assert.Throws<ArgumentException>(() => InvertedGenerationalDistance.Compute(two, []));
        Assert.Equal("referenceFront", e.ParamName);
        e = Assert.Throws<ArgumentException>(() => InvertedGenerationalDistance.Compute(two, [[0.0, 1, 2]]));
        Assert.Contains("3 objectives", e.Message);
        e = Assert.Throws<ArgumentException>(() => InvertedGenerationalDistance.ComputePlus(two, [[0.0, 1], [1.0]]));
        Assert.Equal("referenceFront", e.ParamName);
        e = Assert.Throws<ArgumentException>(() => InvertedGenerationalDistance.Compute([[0.0, 1], [double.NaN, 0]], two));
        Assert.Contains("non-finite", e.Message);
        Assert.Throws<ArgumentException>(() => InvertedGenerationalDistance.Compute([[]], [[]]));
    }
}
