using SearchSpaceDsl.Search.Predictors;

namespace SearchSpaceDsl.Tests.Search.Predictors;

public sealed class AcquisitionTests
{
    [Fact]
    public void Expected_improvement_matches_hand_computed_values()
    {
        // μ = 1, σ = 2, best = 0.5: z = −0.25, Φ(z) = 0.4012936743, φ(z) = 0.3866681168,
        // EI = (0.5 − 1)·0.4012936743 + 2·0.3866681168 = 0.5726893964.
        Assert.Equal(0.5726893964, Acquisition.ExpectedImprovement(new Prediction(1, 2), 0.5), 9);
        // μ = −0.3, σ = 0.5, best = 0.4: z = 1.4, Φ(z) = 0.9192433408, φ(z) = 0.1497274656,
        // EI = 0.7·0.9192433408 + 0.5·0.1497274656 = 0.7183340714.
        Assert.Equal(0.7183340714, Acquisition.ExpectedImprovement(new Prediction(-0.3, 0.5), 0.4), 9);
    }

    [Fact]
    public void Without_uncertainty_it_is_the_plain_improvement()
    {
        Assert.Equal(1.5, Acquisition.ExpectedImprovement(new Prediction(1, 0), 2.5));
        Assert.Equal(0, Acquisition.ExpectedImprovement(new Prediction(3, 0), 2.5));
    }

    [Fact]
    public void It_grows_with_a_lower_mean_and_with_more_uncertainty()
    {
        var baseline = Acquisition.ExpectedImprovement(new Prediction(1, 0.5), 1);
        Assert.True(Acquisition.ExpectedImprovement(new Prediction(0.8, 0.5), 1) > baseline);
        Assert.True(Acquisition.ExpectedImprovement(new Prediction(1, 0.8), 1) > baseline);
        Assert.True(Acquisition.ExpectedImprovement(new Prediction(50, 1), 0) >= 0);
    }

    [Fact]
    public void Bad_inputs_are_refused_with_a_message()
    {
        var std = Assert.Throws<ArgumentException>(() => Acquisition.ExpectedImprovement(new Prediction(0, -1), 0));
        Assert.Contains("standard deviation must be finite and non-negative; it is -1", std.Message);
        var best = Assert.Throws<ArgumentException>(() => Acquisition.ExpectedImprovement(new Prediction(0, 1), double.NaN));
        Assert.Contains("best observed value must be finite", best.Message);
    }
}
