using System.Diagnostics;
using SearchSpaceDsl.Search.Predictors;
using Xunit.Abstractions;

namespace SearchSpaceDsl.Tests.Search.Predictors;

/// <summary>
/// Every predictor on a realistic task: ranking members of HW-GPT-Bench space S by the log of their parameter count
/// (plus noise) from their encodings, 200 to fit and 100 held out.
/// </summary>
public sealed class PredictorValidationTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("ridge", EncodingKind.Ordinal, 0.65)]
    [InlineData("ridge", EncodingKind.OneHot, 0.65)]
    [InlineData("gp", EncodingKind.Ordinal, 0.65)]
    [InlineData("mlp", EncodingKind.Ordinal, 0.65)]
    public void Each_predictor_ranks_held_out_architectures(string kind, EncodingKind encoding, double threshold)
    {
        var (x, y) = PredictorTasks.HwGptBenchS(300, 1, encoding);
        IPredictor predictor = kind switch
        {
            "ridge" => new RidgeRegression(),
            "gp" => new GaussianProcessRegression(),
            _ => new MlpEnsemble(),
        };
        var watch = Stopwatch.StartNew();
        var tau = PredictorValidation.HeldOutKendallTau(predictor, x, y, testFraction: 1.0 / 3, seed: 5);
        output.WriteLine($"{predictor.Description}, {encoding}: held-out tau {tau:F3}, fit and 100 predictions in {watch.ElapsedMilliseconds} ms");
        Assert.True(tau > threshold, $"held-out tau {tau:F3}");
    }

    [Fact]
    public void The_split_is_seeded_and_k_fold_covers_every_sample()
    {
        var (x, y) = PredictorTasks.HwGptBenchS(120, 2);
        var ridge = new RidgeRegression();
        Assert.Equal(PredictorValidation.HeldOutKendallTau(ridge, x, y, 0.25, 9), PredictorValidation.HeldOutKendallTau(ridge, x, y, 0.25, 9));
        Assert.NotEqual(PredictorValidation.HeldOutKendallTau(ridge, x, y, 0.25, 9), PredictorValidation.HeldOutKendallTau(ridge, x, y, 0.25, 10));

        var counting = new CountingPredictor();
        PredictorValidation.CrossValidatedKendallTau(counting, x, y, folds: 5, seed: 1);
        Assert.Equal(5, counting.Fits);
        Assert.Equal(120, counting.Predicted.Count);
        Assert.Equal(120, counting.Predicted.Distinct().Count());
        Assert.True(PredictorValidation.CrossValidatedKendallTau(ridge, x, y, 5, 1) > 0.5);
    }

    [Fact]
    public void Bad_arguments_are_refused_with_a_message()
    {
        var (x, y) = PredictorTasks.HwGptBenchS(6, 3);
        var fraction = Assert.Throws<ArgumentOutOfRangeException>(() => PredictorValidation.HeldOutKendallTau(new RidgeRegression(), x, y, 1, 0));
        Assert.Contains("strictly between 0 and 1", fraction.Message);
        var few = Assert.Throws<ArgumentException>(() => PredictorValidation.CrossValidatedKendallTau(new RidgeRegression(), x, y, 4, 0));
        Assert.Contains("at least 8 samples here; there are 6", few.Message);
        var mismatch = Assert.Throws<ArgumentException>(() => PredictorValidation.HeldOutKendallTau(new RidgeRegression(), x, y[..5], 0.5, 0));
        Assert.Contains("There are 6 samples but 5 targets", mismatch.Message);
    }

    /// <summary>Records which encodings it is asked about; predicts the first feature.</summary>
    private sealed class CountingPredictor : IPredictor
    {
        public List<double[]> Predicted { get; } = [];

        public int Fits { get; private set; }

        public string Description => "Counting";

        public bool IsFitted => Fits > 0;

        public void Fit(IReadOnlyList<double[]> features, IReadOnlyList<double> targets) => Fits++;

        public Prediction Predict(ReadOnlySpan<double> features)
        {
            Predicted.Add(features.ToArray());
            return new Prediction(features[0] + Predicted.Count * 1e-9, 0);
        }
    }
}
