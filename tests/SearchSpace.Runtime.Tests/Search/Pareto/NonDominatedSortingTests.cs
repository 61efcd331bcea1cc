using SearchSpaceDsl.Search.Pareto;
using static SearchSpaceDsl.Tests.Search.Pareto.ParetoTestData;

namespace SearchSpaceDsl.Tests.Search.Pareto;

public sealed class NonDominatedSortingTests
{
    /// <summary>Fronts by the definition: repeatedly peel off the points that no remaining point dominates.</summary>
    private static List<int[]> PeelFronts(double[][] points)
    {
        var remaining = Enumerable.Range(0, points.Length).ToList();
        var fronts = new List<int[]>();
        while (remaining.Count > 0)
        {
            var front = remaining.Where(i => !remaining.Any(j => Dominates(points[j], points[i]))).ToArray();
            fronts.Add(front);
            remaining.RemoveAll(front.Contains);
        }
        return fronts;
    }

    public static TheoryData<int, int, int> Cases => new()
    {
        { 2, 60, 3 },   // integer coordinates in 0..2: many ties and duplicates
        { 2, 80, 1000 },
        { 3, 60, 4 },
        { 4, 50, 3 },
        { 5, 40, 1000 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Fronts_match_the_definition_on_random_points(int m, int n, int range)
    {
        var random = new Random(70 + m * 13 + range);
        for (var trial = 0; trial < 5; trial++)
        {
            var points = Integers(random, n, m, range);
            points[1] = (double[])points[0].Clone(); // a duplicate at least
            var fronts = NonDominatedSorting.Sort(points);

            Assert.Equal(PeelFronts(points).ToArray(), fronts);
            // A partition of the indices, ascending within each front.
            Assert.Equal(Enumerable.Range(0, n), fronts.SelectMany(f => f).Order());
            Assert.All(fronts, f => Assert.Equal(f.Order().ToArray(), f));
            for (var k = 0; k < fronts.Length; k++)
            {
                foreach (var i in fronts[k])
                {
                    // Nothing in this or a later front dominates a point of front k ...
                    Assert.DoesNotContain(fronts.Skip(k).SelectMany(f => f), j => Dominates(points[j], points[i]));
                    // ... and something in front k − 1 does, for k > 0.
                    if (k > 0)
                        Assert.Contains(fronts[k - 1], j => Dominates(points[j], points[i]));
                }
            }
            var ranks = NonDominatedSorting.Ranks(points);
            for (var k = 0; k < fronts.Length; k++)
                Assert.All(fronts[k], i => Assert.Equal(k, ranks[i]));
            // Duplicates share a front.
            Assert.Equal(ranks[0], ranks[1]);

            var paretoFront = ParetoFront.Indices(points);
            Assert.Equal(fronts[0], paretoFront);
            Assert.Equal(Enumerable.Range(0, n).Where(i => !points.Any(q => Dominates(q, points[i]))), paretoFront);
        }
    }

    [Fact]
    public void Hand_sorted_example()
    {
        // (1,1) dominates everything else; (2,3) and (3,2) are incomparable; (3,3) is dominated by both; (2,3) twice.
        double[][] points = [[3, 3], [2, 3], [1, 1], [3, 2], [2, 3], [4, 4]];
        Assert.Equal([[2], [1, 3, 4], [0], [5]], NonDominatedSorting.Sort(points));
        Assert.Equal([2, 1, 0, 1, 1, 3], NonDominatedSorting.Ranks(points));
        Assert.Equal([2], ParetoFront.Indices(points));
        Assert.Empty(NonDominatedSorting.Sort([]));
        Assert.Empty(ParetoFront.Indices([]));
    }

    [Fact]
    public void Ragged_null_and_non_finite_points_are_rejected()
    {
        var e = Assert.Throws<ArgumentException>(() => NonDominatedSorting.Sort([[1.0, 2.0], [1.0]]));
        Assert.Contains("Point 1 has 1 objectives; expected 2", e.Message);
        e = Assert.Throws<ArgumentException>(() => NonDominatedSorting.Ranks([[1.0, double.NaN]]));
        Assert.Contains("non-finite", e.Message);
        e = Assert.Throws<ArgumentException>(() => ParetoFront.Indices([[1.0], null!]));
        Assert.Contains("Point 1 is null", e.Message);
        Assert.Throws<ArgumentException>(() => ParetoFront.Indices([[1.0], [double.NegativeInfinity]]));
        Assert.Throws<ArgumentNullException>(() => NonDominatedSorting.Sort(null!));
        Assert.Throws<ArgumentException>(() => Dominance.Dominates([1.0], [1.0, 2.0]));
    }
}
