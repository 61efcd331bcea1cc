using SearchSpaceDsl.Search.Pareto;

namespace SearchSpaceDsl.Tests.Search.Pareto;

public sealed class CrowdingDistanceTests
{
    [Fact]
    public void Hand_computed_distances()
    {
        // Objective 0 ranges over 4: (1,5) gets (2 − 0)/4 = 0.5, (2,1) gets (4 − 1)/4 = 0.75.
        // Objective 1 ranges over 6, order (4,0), (2,1), (1,5), (0,6): (2,1) gets (5 − 0)/6, (1,5) gets (6 − 1)/6.
        double[][] points = [[0, 6], [1, 5], [2, 1], [4, 0]];
        var distance = CrowdingDistance.Compute(points, [0, 1, 2, 3]);
        Assert.Equal(double.PositiveInfinity, distance[0]);
        Assert.Equal(0.5 + 5.0 / 6, distance[1], 12);
        Assert.Equal(0.75 + 5.0 / 6, distance[2], 12);
        Assert.Equal(double.PositiveInfinity, distance[3]);
    }

    [Fact]
    public void Distances_follow_the_order_of_the_front_and_ignore_other_points()
    {
        // The front is indices 4, 0, 2 of the points; index 1 and 3 are not part of it.
        double[][] points = [[1, 2], [9, 9], [0, 4], [-5, -5], [3, 0]];
        var distance = CrowdingDistance.Compute(points, [4, 0, 2]);
        // (1,2) is interior in both objectives: (3 − 0)/3 + (4 − 0)/4 = 2.
        Assert.Equal([double.PositiveInfinity, 2, double.PositiveInfinity], distance);
    }

    [Fact]
    public void Constant_objective_adds_nothing_and_small_fronts_are_infinite()
    {
        // Objective 1 is constant: only objective 0 counts, (1,7): (2 − 0)/2 = 1.
        double[][] points = [[0, 7], [1, 7], [2, 7]];
        Assert.Equal([double.PositiveInfinity, 1, double.PositiveInfinity], CrowdingDistance.Compute(points, [0, 1, 2]));
        Assert.Equal([double.PositiveInfinity, double.PositiveInfinity], CrowdingDistance.Compute(points, [2, 0]));
        Assert.Empty(CrowdingDistance.Compute(points, []));
    }

    [Fact]
    public void Duplicates_and_ties_get_deterministic_distances()
    {
        // Two copies of (1,1): ties are broken by position in the front, so the first copy sits between (0,2) and the
        // second copy, the second copy between the first and (2,0).
        double[][] points = [[0, 2], [1, 1], [1, 1], [2, 0]];
        var distance = CrowdingDistance.Compute(points, [0, 1, 2, 3]);
        // Objective 0 (range 2): copy 1 (1 − 0)/2, copy 2 (2 − 1)/2. Objective 1 (range 2), ascending order (2,0),
        // copy 1, copy 2, (0,2): copy 1 (1 − 0)/2, copy 2 (2 − 1)/2.
        Assert.Equal([double.PositiveInfinity, 1, 1, double.PositiveInfinity], distance);
    }

    [Fact]
    public void Invalid_input_is_rejected_with_the_reason()
    {
        double[][] points = [[0, 1], [1, 0], [2, 2]];
        var e = Assert.Throws<ArgumentException>(() => CrowdingDistance.Compute(points, [0, 3, 1]));
        Assert.Contains("Front index 3", e.Message);
        // Also for fronts of one or two points, which need no sorting.
        Assert.Throws<ArgumentException>(() => CrowdingDistance.Compute(points, [5]));
        Assert.Throws<ArgumentException>(() => CrowdingDistance.Compute(points, [-1, 0]));
        e = Assert.Throws<ArgumentException>(() => CrowdingDistance.Compute([[0.0, 1], [1.0]], [0, 1]));
        Assert.Contains("objectives", e.Message);
        e = Assert.Throws<ArgumentException>(() => CrowdingDistance.Compute([[0.0, double.NaN]], [0]));
        Assert.Contains("non-finite", e.Message);
        Assert.Throws<ArgumentNullException>(() => CrowdingDistance.Compute(points, null!));
    }
}
