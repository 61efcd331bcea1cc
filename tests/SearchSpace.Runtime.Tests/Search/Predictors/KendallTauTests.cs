using SearchSpaceDsl.Search.Predictors;

namespace SearchSpaceDsl.Tests.Search.Predictors;

public sealed class KendallTauTests
{
    [Fact]
    public void Same_order_gives_1_and_reversed_order_gives_minus_1()
    {
        double[] a = [0.5, 1, 7, 9, 12];
        Assert.Equal(1, KendallTau.Compute(a, [10, 20, 30, 40, 50]), 12);
        Assert.Equal(-1, KendallTau.Compute(a, [50, 40, 30, 20, 10]), 12);
    }

    [Fact]
    public void Hand_computed_example_without_ties()
    {
        // Discordant pairs (by index): (0,1), (0,2), (3,4); the other 7 of the 10 pairs are concordant: (7 − 3) / 10.
        Assert.Equal(0.4, KendallTau.Compute([1, 2, 3, 4, 5], [3, 1, 2, 5, 4]), 12);
    }

    [Fact]
    public void Hand_computed_examples_with_ties()
    {
        // Pairs: 4 concordant, (1,2) tied in a only, (2,3) tied in b only: 4 / √((6 − 1)(6 − 1)).
        Assert.Equal(0.8, KendallTau.Compute([1, 2, 2, 3], [1, 2, 3, 3]), 12);
        // (0,1) tied in both, discordant (0,2) and (1,2), concordant (0,3), (1,3), (2,3): (3 − 2) / √((6 − 1)(6 − 1)).
        Assert.Equal(0.2, KendallTau.Compute([1, 1, 2, 3], [2, 2, 1, 3]), 12);
    }

    [Fact]
    public void Matches_a_brute_force_count_of_pairs_on_random_data_with_ties()
    {
        var random = new Random(3);
        for (var trial = 0; trial < 20; trial++)
        {
            var n = random.Next(2, 40);
            var a = Enumerable.Range(0, n).Select(_ => (double)random.Next(5)).ToArray();
            var b = Enumerable.Range(0, n).Select(_ => (double)random.Next(6)).ToArray();
            long concordant = 0, discordant = 0, tiedAOnly = 0, tiedBOnly = 0;
            for (var i = 0; i < n; i++)
            {
                for (var j = i + 1; j < n; j++)
                {
                    if (a[i] == a[j] && b[i] == b[j])
                        continue;
                    if (a[i] == a[j])
                        tiedAOnly++;
                    else if (b[i] == b[j])
                        tiedBOnly++;
                    else if ((a[i] < a[j]) == (b[i] < b[j]))
                        concordant++;
                    else
                        discordant++;
                }
            }
            var denominator = Math.Sqrt((double)(concordant + discordant + tiedBOnly) * (concordant + discordant + tiedAOnly));
            var expected = denominator == 0 ? double.NaN : (concordant - discordant) / denominator;
            Assert.Equal(expected, KendallTau.Compute(a, b), 12);
        }
    }

    [Fact]
    public void A_constant_side_gives_NaN()
    {
        Assert.True(double.IsNaN(KendallTau.Compute([1, 1, 1], [1, 2, 3])));
        Assert.True(double.IsNaN(KendallTau.Compute([1, 2, 3], [4, 4, 4])));
    }

    [Fact]
    public void Bad_inputs_are_refused_with_a_message()
    {
        var mismatch = Assert.Throws<ArgumentException>(() => KendallTau.Compute([1, 2, 3], [1, 2]));
        Assert.Contains("there are 3 and 2", mismatch.Message);
        var single = Assert.Throws<ArgumentException>(() => KendallTau.Compute([1], [1]));
        Assert.Contains("at least 2 pairs; there are 1", single.Message);
        var nan = Assert.Throws<ArgumentException>(() => KendallTau.Compute([1, double.NaN], [1, 2]));
        Assert.Contains("Value 1 of the first list is not finite", nan.Message);
    }
}
