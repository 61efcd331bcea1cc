using SearchSpaceDsl.Search.Predictors;

namespace SearchSpaceDsl.Tests.Search.Predictors;

/// <summary>Every predictor refuses bad samples and queries with a message that names the problem.</summary>
public sealed class PredictorInputTests
{
    public static TheoryData<string> Predictors => ["ridge", "gp", "mlp"];

    private static IPredictor Create(string kind) => kind switch
    {
        "ridge" => new RidgeRegression(),
        "gp" => new GaussianProcessRegression(),
        _ => new MlpEnsemble(members: 2, epochs: 2),
    };

    private static readonly double[][] Features = [[1, 2, 3, 4], [2, 3, 4, 5], [0, 1, 0, 1], [3, 1, 2, 2]];
    private static readonly double[] Targets = [1, 2, 0.5, 3];

    [Theory, MemberData(nameof(Predictors))]
    public void Bad_training_sets_are_refused(string kind)
    {
        var predictor = Create(kind);
        Assert.Contains("There is no sample to fit", Assert.Throws<ArgumentException>(() => predictor.Fit([], [])).Message);
        Assert.Contains("Sample 2 has 3 features; expected 4.",
            Assert.Throws<ArgumentException>(() => predictor.Fit([[1, 2, 3, 4], [1, 2, 3, 4], [1, 2, 3]], [1, 2, 3])).Message);
        Assert.Contains("There are 4 samples but 3 targets",
            Assert.Throws<ArgumentException>(() => predictor.Fit(Features, Targets[..3])).Message);
        Assert.Contains("Sample 1 has a non-finite value (NaN) in feature 2.",
            Assert.Throws<ArgumentException>(() => predictor.Fit([[1, 2, 3, 4], [1, 2, double.NaN, 4]], [1, 2])).Message);
        Assert.Contains("Target 1 is not finite (Infinity)",
            Assert.Throws<ArgumentException>(() => predictor.Fit(Features[..2], [1, double.PositiveInfinity])).Message);
        Assert.Contains("Sample 1 is null.", Assert.Throws<ArgumentException>(() => predictor.Fit([[1.0], null!], [1, 2])).Message);
        Assert.Contains("Sample 0 has no features", Assert.Throws<ArgumentException>(() => predictor.Fit([[]], [1])).Message);
        Assert.False(predictor.IsFitted);
    }

    [Theory, MemberData(nameof(Predictors))]
    public void Bad_queries_are_refused(string kind)
    {
        var predictor = Create(kind);
        var notFitted = Assert.Throws<InvalidOperationException>(() => predictor.Predict([1, 2, 3, 4]));
        Assert.Contains("has not been fitted; call Fit before Predict", notFitted.Message);

        predictor.Fit(Features, Targets);
        Assert.True(predictor.IsFitted);
        Assert.Contains("The encoding has 3 features; the predictor was fitted on 4.",
            Assert.Throws<ArgumentException>(() => predictor.Predict([1, 2, 3])).Message);
        Assert.Contains("non-finite value (Infinity) in feature 0",
            Assert.Throws<ArgumentException>(() => predictor.Predict([double.PositiveInfinity, 2, 3, 4])).Message);
    }

    [Theory, MemberData(nameof(Predictors))]
    public void A_single_sample_is_enough_to_predict_its_target(string kind)
    {
        var predictor = Create(kind);
        predictor.Fit([[1, 2]], [5]);
        // Ridge and the GP return the mean target exactly; the networks learn a standardized target of 0 approximately.
        Assert.Equal(5, predictor.Predict([1, 2]).Mean, tolerance: kind == "mlp" ? 0.1 : 1e-9);
        Assert.True(double.IsFinite(predictor.Predict([3, -4]).StandardDeviation));
    }

    [Theory, MemberData(nameof(Predictors))]
    public void A_refused_fit_keeps_the_earlier_one(string kind)
    {
        var predictor = Create(kind);
        predictor.Fit(Features, Targets);
        var before = predictor.Predict([1, 1, 1, 1]);
        Assert.Throws<ArgumentException>(() => predictor.Fit([[1, 2]], [double.NaN]));
        Assert.True(predictor.IsFitted);
        Assert.Equal(before, predictor.Predict([1, 1, 1, 1]));
    }
}
