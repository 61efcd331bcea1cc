using SearchSpaceDsl.Search.Predictors;

namespace SearchSpaceDsl.Tests.Search.Predictors;

public sealed class RidgeRegressionTests
{
    [Fact]
    public void Recovers_a_known_linear_function_with_a_small_penalty()
    {
        var (x, y) = PredictorTasks.Uniform(60, 4, 1, f => 3 + 2 * f[0] - f[1] + 0.5 * f[2]);
        var ridge = new RidgeRegression(alpha: 1e-9);
        ridge.Fit(x, y);

        Assert.Equal([2, -1, 0.5, 0], ridge.Coefficients.Select(c => Math.Round(c, 6)));
        Assert.Equal(3, ridge.Intercept, 6);
        var prediction = ridge.Predict([0.3, -0.7, 0.1, 0.9]);
        Assert.Equal(3 + 0.6 + 0.7 + 0.05, prediction.Mean, 6);
        Assert.Equal(0, prediction.StandardDeviation);
    }

    [Fact]
    public void Predictions_equal_an_independent_normal_equations_solution()
    {
        const double alpha = 2.5;
        var random = new Random(5);
        var (x, y) = PredictorTasks.Uniform(40, 5, 2, f => Math.Sin(3 * f[0]) + f[1] * f[2] + 0.1 * PredictorTasks.Gaussian(random));
        foreach (var row in x)
            row[4] = 7; // a constant feature, which standardization must ignore
        var ridge = new RidgeRegression(alpha);
        ridge.Fit(x, y);

        // Standardize with population statistics (a constant column becomes 0), center y, solve
        // (ZᵀZ + αI) w = Zᵀ(y − ȳ) by Gaussian elimination with partial pivoting.
        int n = x.Length, d = x[0].Length;
        var mean = new double[d];
        var inverseStd = new double[d];
        for (var j = 0; j < d; j++)
        {
            mean[j] = x.Average(r => r[j]);
            var std = Math.Sqrt(x.Average(r => (r[j] - mean[j]) * (r[j] - mean[j])));
            inverseStd[j] = std > 1e-12 ? 1 / std : 0;
        }
        var yMean = y.Average();
        var a = new double[d, d + 1];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < d; j++)
            {
                var zj = (x[i][j] - mean[j]) * inverseStd[j];
                for (var k = 0; k < d; k++)
                    a[j, k] += zj * (x[i][k] - mean[k]) * inverseStd[k];
                a[j, d] += zj * (y[i] - yMean);
            }
        }
        for (var j = 0; j < d; j++)
            a[j, j] += alpha;
        var w = SolveByElimination(a, d);

        var queries = PredictorTasks.Uniform(25, 5, 3, _ => 0).Features;
        foreach (var q in queries)
        {
            var expected = yMean;
            for (var j = 0; j < d; j++)
                expected += w[j] * (q[j] - mean[j]) * inverseStd[j];
            Assert.Equal(expected, ridge.Predict(q).Mean, 10);
        }
    }

    [Fact]
    public void A_larger_penalty_shrinks_the_weights_and_refits_from_scratch()
    {
        var (x, y) = PredictorTasks.Uniform(30, 3, 4, f => f[0] - 2 * f[1]);
        var ridge = new RidgeRegression(0.01);
        ridge.Fit(x, y);
        var small = ridge.Coefficients.Sum(Math.Abs);
        ridge.Alpha = 100;
        ridge.Fit(x, y);
        Assert.True(ridge.Coefficients.Sum(Math.Abs) < 0.5 * small);
        Assert.Equal("Ridge(alpha=100)", ridge.Description);

        var shifted = y.Select(v => v + 10).ToArray();
        ridge.Fit(x, shifted);
        Assert.Equal(shifted.Average(), ridge.Predict(Enumerable.Range(0, 3).Select(j => x.Average(r => r[j])).ToArray()).Mean, 9);
    }

    [Fact]
    public void The_penalty_must_be_positive()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new RidgeRegression(0));
        Assert.Contains("alpha must be finite and positive", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new RidgeRegression().Alpha = double.NaN);
    }

    private static double[] SolveByElimination(double[,] a, int d)
    {
        for (var col = 0; col < d; col++)
        {
            var pivot = col;
            for (var r = col + 1; r < d; r++)
            {
                if (Math.Abs(a[r, col]) > Math.Abs(a[pivot, col]))
                    pivot = r;
            }
            for (var c = 0; c <= d; c++)
                (a[col, c], a[pivot, c]) = (a[pivot, c], a[col, c]);
            for (var r = col + 1; r < d; r++)
            {
                var f = a[r, col] / a[col, col];
                for (var c = col; c <= d; c++)
                    a[r, c] -= f * a[col, c];
            }
        }
        var w = new double[d];
        for (var r = d - 1; r >= 0; r--)
        {
            var s = a[r, d];
            for (var c = r + 1; c < d; c++)
                s -= a[r, c] * w[c];
            w[r] = s / a[r, r];
        }
        return w;
    }
}
