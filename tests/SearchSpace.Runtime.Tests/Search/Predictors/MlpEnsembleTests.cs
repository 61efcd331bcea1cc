using SearchSpaceDsl.Search.Predictors;
using TorchSharp;

namespace SearchSpaceDsl.Tests.Search.Predictors;

public sealed class MlpEnsembleTests
{
    private static double Nonlinear(double[] f) => Math.Sin(2 * f[0]) + f[1] * f[1] - 0.5 * f[0] * f[2];

    [Fact]
    public void Fits_a_nonlinear_function_and_is_uncertain_away_from_the_data()
    {
        var (x, y) = PredictorTasks.Uniform(200, 3, 1, Nonlinear);
        var (testX, testY) = PredictorTasks.Uniform(100, 3, 2, Nonlinear);
        var ensemble = new MlpEnsemble();
        ensemble.Fit(x, y);

        var predicted = testX.Select(f => ensemble.Predict(f).Mean).ToArray();
        Assert.True(KendallTau.Compute(predicted, testY) > 0.8);
        var inside = testX.Average(f => ensemble.Predict(f).StandardDeviation);
        var far = ensemble.Predict([6, -6, 6]).StandardDeviation;
        Assert.True(inside > 0);
        Assert.True(far > 3 * inside, $"std {far} far away, {inside} on average near the data");
    }

    [Fact]
    public void The_same_seed_gives_identical_predictions_and_another_seed_different_ones()
    {
        var (x, y) = PredictorTasks.Uniform(80, 3, 3, Nonlinear);
        var queries = PredictorTasks.Uniform(10, 3, 4, Nonlinear).Features;
        Prediction[] Run(int seed, int batchSize)
        {
            var ensemble = new MlpEnsemble(members: 3, epochs: 30, batchSize: batchSize, seed: seed);
            ensemble.Fit(x, y);
            return queries.Select(q => ensemble.Predict(q)).ToArray();
        }

        Assert.Equal(Run(7, 0), Run(7, 0));
        Assert.Equal(Run(7, 16), Run(7, 16));
        Assert.NotEqual(Run(7, 0), Run(8, 0));
    }

    [Fact]
    public void Fitting_leaves_no_live_tensor_behind()
    {
        var (x, y) = PredictorTasks.Uniform(40, 3, 5, Nonlinear);
        var ensemble = new MlpEnsemble(members: 2, epochs: 5, batchSize: 8);
        ensemble.Fit(x, y); // TorchSharp's first use out of the way
        var statistics = DisposeScopeManager.Statistics;
        var liveBefore = statistics.ThreadTotalLiveCount;
        for (var i = 0; i < 3; i++)
            ensemble.Fit(x, y);
        Assert.Equal(liveBefore, statistics.ThreadTotalLiveCount);
    }

    [Fact]
    public void Settings_are_checked_and_described()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new MlpEnsemble(members: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MlpEnsemble(learningRate: -1));
        var hidden = Assert.Throws<ArgumentException>(() => new MlpEnsemble(hiddenSizes: [64, 0]));
        Assert.Contains("Hidden layer 1 has 0 units", hidden.Message);
        Assert.Equal("MlpEnsemble(members=5, hidden=[64, 64], epochs=200, lr=0.01, weightDecay=0.0001, batch=full, bootstrap=true, seed=0)",
            new MlpEnsemble().Description);
    }
}
