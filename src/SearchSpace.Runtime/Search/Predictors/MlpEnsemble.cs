using System.Globalization;
using MathNet.Numerics.LinearAlgebra;

namespace SearchSpaceDsl.Search.Predictors;

/// <summary>
/// A deep ensemble: several small ReLU multilayer perceptrons trained with Adam (TorchSharp, CPU, float32) on
/// standardized features and targets, each from its own seed and its own bootstrap resample of the samples. The
/// prediction is the members' mean and their standard deviation, which grows away from the data where the members
/// disagree.
/// </summary>
/// <remarks>
/// <para>
/// Deterministic: the same settings (seed included) and samples give identical predictions. Nothing draws from
/// TorchSharp's global generator, which other threads may share: each member's weights (uniform in ±1/√fan-in, as
/// <c>torch.nn.Linear</c>), bootstrap resample and minibatch order come from a <see cref="Random"/> seeded from
/// <see cref="Seed"/> and the member's index.
/// </para>
/// <para>
/// After training, the weights are copied into MathNet matrices and every tensor is disposed, so a fitted ensemble
/// holds no native memory and Predict (plain matrix–vector products) is thread-safe and cheap. Fit must not run
/// concurrently with anything else on the same instance.
/// </para>
/// <para>The standard deviation is the population one over the members (0 with a single member).</para>
/// </remarks>
public sealed partial class MlpEnsemble : IPredictor
{
    private readonly int[] _hiddenSizes;
    private FittedState? _state;

    /// <summary>Creates an unfitted ensemble.</summary>
    /// <param name="members">The number of networks, at least 1.</param>
    /// <param name="hiddenSizes">The width of each hidden layer, input side first; default two layers of 64.</param>
    /// <param name="epochs">Passes over each member's resample, at least 1.</param>
    /// <param name="learningRate">Adam's learning rate, finite and positive.</param>
    /// <param name="weightDecay">Adam's L2 penalty, finite and non-negative.</param>
    /// <param name="batchSize">Samples per step; 0 for full-batch steps (one per epoch).</param>
    /// <param name="bootstrap">Whether each member trains on its own resample with replacement (otherwise on all samples).</param>
    /// <param name="seed">Seeds every member's initialization, resample and minibatch order.</param>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of its range.</exception>
    /// <exception cref="ArgumentException">A hidden size is not positive, or there is no hidden layer.</exception>
    public MlpEnsemble(int members = 5, IReadOnlyList<int>? hiddenSizes = null, int epochs = 200, double learningRate = 0.01,
        double weightDecay = 1e-4, int batchSize = 0, bool bootstrap = true, int seed = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(members, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(epochs, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(batchSize);
        if (!double.IsFinite(learningRate) || learningRate <= 0)
            throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, "The learning rate must be finite and positive.");
        if (!double.IsFinite(weightDecay) || weightDecay < 0)
            throw new ArgumentOutOfRangeException(nameof(weightDecay), weightDecay, "The weight decay must be finite and non-negative.");
        _hiddenSizes = (hiddenSizes ?? [64, 64]).ToArray();
        if (_hiddenSizes.Length == 0)
            throw new ArgumentException("An MLP needs at least one hidden layer.", nameof(hiddenSizes));
        for (var i = 0; i < _hiddenSizes.Length; i++)
        {
            if (_hiddenSizes[i] < 1)
                throw new ArgumentException($"Hidden layer {i} has {_hiddenSizes[i]} units; it needs at least 1.", nameof(hiddenSizes));
        }
        Members = members;
        Epochs = epochs;
        LearningRate = learningRate;
        WeightDecay = weightDecay;
        BatchSize = batchSize;
        Bootstrap = bootstrap;
        Seed = seed;
    }

    /// <summary>The number of networks.</summary>
    public int Members { get; }

    /// <summary>The width of each hidden layer, input side first.</summary>
    public IReadOnlyList<int> HiddenSizes => _hiddenSizes;

    /// <summary>Passes over each member's resample.</summary>
    public int Epochs { get; }

    /// <summary>Adam's learning rate.</summary>
    public double LearningRate { get; }

    /// <summary>Adam's L2 penalty.</summary>
    public double WeightDecay { get; }

    /// <summary>Samples per step; 0 for full-batch steps.</summary>
    public int BatchSize { get; }

    /// <summary>Whether each member trains on its own bootstrap resample.</summary>
    public bool Bootstrap { get; }

    /// <summary>Seeds every member's initialization, resample and minibatch order.</summary>
    public int Seed { get; }

    /// <inheritdoc/>
    public string Description => string.Create(CultureInfo.InvariantCulture,
        $"MlpEnsemble(members={Members}, hidden=[{string.Join(", ", _hiddenSizes)}], epochs={Epochs}, lr={LearningRate}, weightDecay={WeightDecay}, batch={(BatchSize == 0 ? "full" : BatchSize)}, bootstrap={(Bootstrap ? "true" : "false")}, seed={Seed})");

    /// <inheritdoc/>
    public bool IsFitted => _state is not null;

    /// <inheritdoc/>
    public void Fit(IReadOnlyList<double[]> features, IReadOnlyList<double> targets)
    {
        var d = PredictorInput.CheckTrainingSet(features, targets);
        var scaler = FeatureStandardizer.Fit(features, d);
        var targetScaler = TargetStandardizer.Fit(targets);
        var z = new double[features.Count][];
        for (var i = 0; i < z.Length; i++)
            z[i] = scaler.Transform(features[i]);
        var y = targetScaler.Transform(targets);

        var networks = TrainMembers(z, y);
        _state = new FittedState(scaler, targetScaler, networks);
    }

    /// <inheritdoc/>
    public Prediction Predict(ReadOnlySpan<double> features)
    {
        PredictorInput.CheckQuery(this, _state?.Scaler.Count ?? 0, features);
        var state = _state!;
        var input = Vector<double>.Build.Dense(state.Scaler.Transform(features));
        var outputs = new double[state.Networks.Length];
        for (var k = 0; k < outputs.Length; k++)
            outputs[k] = state.Networks[k].Forward(input);
        var mean = outputs.Average();
        double variance = 0;
        foreach (var output in outputs)
            variance += (output - mean) * (output - mean);
        variance /= outputs.Length;
        var scale = state.TargetScaler.Scale;
        return new Prediction(state.TargetScaler.Mean + scale * mean, scale * Math.Sqrt(variance));
    }

    /// <summary>Everything one fit produces, swapped in at once.</summary>
    private sealed record FittedState(FeatureStandardizer Scaler, TargetStandardizer TargetScaler, MlpNetwork[] Networks);
}
