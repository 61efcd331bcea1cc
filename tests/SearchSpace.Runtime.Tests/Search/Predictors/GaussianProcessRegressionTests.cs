using SearchSpaceDsl.Search.Predictors;

namespace SearchSpaceDsl.Tests.Search.Predictors;

public sealed class GaussianProcessRegressionTests
{
    // Noise-free samples of sin on [0, 2π], evenly spaced.
    private static (double[][] Features, double[] Targets) Sine(int count)
    {
        var x = Enumerable.Range(0, count).Select(i => new[] { 2 * Math.PI * i / (count - 1) }).ToArray();
        return (x, x.Select(p => Math.Sin(p[0])).ToArray());
    }

    [Fact]
    public void Interpolates_noise_free_training_points_with_a_small_standard_deviation_there()
    {
        var (x, y) = Sine(12);
        var gp = new GaussianProcessRegression();
        gp.Fit(x, y);

        for (var i = 0; i < x.Length; i++)
        {
            var p = gp.Predict(x[i]);
            Assert.Equal(y[i], p.Mean, 3);
            Assert.True(p.StandardDeviation < 0.01, $"std {p.StandardDeviation} at training point {i}");
        }
        var far = gp.Predict([20.0]);
        Assert.True(far.StandardDeviation > 0.3, $"std {far.StandardDeviation} far from the data");
        // Between two training points the uncertainty is above that at the points themselves.
        Assert.True(gp.Predict([0.5 * (x[3][0] + x[4][0])]).StandardDeviation > gp.Predict(x[3]).StandardDeviation);
    }

    [Fact]
    public void The_fitted_hyperparameters_score_at_least_as_high_as_nearby_ones()
    {
        var random = new Random(11);
        var (x, y) = PredictorTasks.Uniform(40, 2, 12, f => Math.Sin(2 * f[0]) + 0.5 * f[1] + 0.05 * PredictorTasks.Gaussian(random));
        var gp = new GaussianProcessRegression();
        gp.Fit(x, y);
        var h = gp.Hyperparameters;
        Assert.Equal(gp.LogMarginalLikelihood, gp.ComputeLogMarginalLikelihood(h), 9);

        var alternatives = new List<GaussianProcessHyperparameters>();
        foreach (var factor in new[] { 0.5, 2.0 })
        {
            alternatives.Add(new(h.SignalVariance * factor, h.LengthScales, h.NoiseVariance));
            alternatives.Add(new(h.SignalVariance, h.LengthScales, h.NoiseVariance * factor));
            alternatives.Add(new(h.SignalVariance, h.LengthScales.Select(l => l * factor).ToArray(), h.NoiseVariance));
            alternatives.Add(new(h.SignalVariance, [h.LengthScales[0] * factor, h.LengthScales[1]], h.NoiseVariance));
        }
        foreach (var other in alternatives)
            Assert.True(gp.LogMarginalLikelihood >= gp.ComputeLogMarginalLikelihood(other) - 1e-6, $"{h} scores below {other}");
    }

    [Fact]
    public void Predicts_a_smooth_function_on_held_out_points()
    {
        var (x, y) = PredictorTasks.Uniform(20, 1, 21, f => Math.Sin(3 * f[0]));
        var (testX, testY) = PredictorTasks.Uniform(50, 1, 22, f => Math.Sin(3 * f[0]));
        var gp = new GaussianProcessRegression();
        gp.Fit(x, y);

        var predicted = testX.Select(f => gp.Predict(f).Mean).ToArray();
        Assert.True(predicted.Zip(testY).Max(p => Math.Abs(p.First - p.Second)) < 0.05);
        Assert.True(KendallTau.Compute(predicted, testY) > 0.95);
    }

    [Fact]
    public void Automatic_relevance_gives_an_irrelevant_feature_a_long_length_scale()
    {
        var (x, y) = PredictorTasks.Uniform(40, 2, 31, f => Math.Sin(3 * f[0]));
        var gp = new GaussianProcessRegression();
        gp.Fit(x, y);
        Assert.True(gp.Hyperparameters.LengthScales[1] > 10 * gp.Hyperparameters.LengthScales[0], gp.Hyperparameters.ToString());

        var isotropic = new GaussianProcessRegression(automaticRelevance: false);
        isotropic.Fit(x, y);
        Assert.Equal(isotropic.Hyperparameters.LengthScales[0], isotropic.Hyperparameters.LengthScales[1]);
        Assert.Contains("ard=false", isotropic.Description);
    }

    [Fact]
    public void Duplicate_and_constant_samples_are_handled()
    {
        // The same encoding with different targets: only noise explains it; the prediction is their mean.
        double[][] x = [[1, 5], [1, 5], [1, 5], [2, 5]];
        double[] y = [1, 2, 3, 10];
        var gp = new GaussianProcessRegression();
        gp.Fit(x, y);
        var p = gp.Predict([1, 5]);
        Assert.True(double.IsFinite(p.Mean) && double.IsFinite(p.StandardDeviation));
        Assert.InRange(p.Mean, 1, 3.5);

        gp.Fit([[3, 3], [3, 3]], [4, 4]);
        Assert.Equal(4, gp.Predict([3, 3]).Mean, 9);
        Assert.Equal(4, gp.Predict([9, -9]).Mean, 9); // constant features carry no information
    }

    [Fact]
    public void More_samples_than_the_optimization_subset_still_use_all_of_them()
    {
        var (x, y) = PredictorTasks.Uniform(60, 1, 41, f => Math.Sin(3 * f[0]));
        var gp = new GaussianProcessRegression(maxOptimizationSamples: 20);
        gp.Fit(x, y);
        for (var i = 0; i < x.Length; i++)
            Assert.Equal(y[i], gp.Predict(x[i]).Mean, 2);
    }
}
