using System.Globalization;
using MathNet.Numerics.LinearAlgebra;

namespace SearchSpaceDsl.Search.Predictors;

/// <summary>
/// Gaussian-process regression: a zero-mean GP on standardized targets with a Matérn-5/2 kernel over standardized
/// features (one length scale per feature by default, automatic relevance determination) plus Gaussian noise. The
/// hyperparameters maximize the log marginal likelihood at every <see cref="Fit"/>; <see cref="Predict"/> returns the
/// posterior mean and standard deviation of the latent function in target units.
/// </summary>
/// <remarks>
/// <para>
/// <b>Kernel.</b> <c>k(x, x′) = s² (1 + √5 r + 5r²/3) exp(−√5 r)</c> with <c>r² = Σ_d ((x_d − x′_d) / ℓ_d)²</c>, plus
/// <c>σ²</c> on the diagonal. Matérn-5/2 rather than the RBF because encodings of discrete choices are better served by
/// a rougher prior (and it is the usual choice in Bayesian optimization). Features constant over the training set
/// are ignored.
/// </para>
/// <para>
/// <b>Hyperparameters</b> (standardized units), searched in log space within bounds: length scales in
/// [0.05, 1000] feature standard deviations (a long one switches its feature off), signal variance in
/// [0.01, 100] and noise variance in [10⁻⁶, 2] target variances. The search is deterministic: a coarse isotropic grid
/// (5 length scales × 4 noise levels) picks the two best starting points, each refined by BFGS (MathNet) with the
/// analytic gradient on a logistic reparametrization that keeps every step inside the bounds; the best likelihood
/// seen anywhere wins. When a Cholesky factorization fails, growing jitter is added to the noise.
/// </para>
/// <para>
/// <b>Cost.</b> Each likelihood evaluation is O(m³) (a factorization and an inverse). With more than
/// <see cref="MaxOptimizationSamples"/> samples the hyperparameters are fitted on that many evenly spaced samples,
/// then the posterior is factorized once on all of them, which keeps a fit of 500 samples well under a second.
/// </para>
/// <para>Predict is thread-safe; Fit must not run concurrently with anything else on the same instance.</para>
/// </remarks>
public sealed partial class GaussianProcessRegression : IPredictor
{
    private FittedState? _state;

    /// <summary>Creates an unfitted Gaussian process.</summary>
    /// <param name="automaticRelevance">One length scale per feature (true) or one shared by all (false).</param>
    /// <param name="maxOptimizationSamples">The most samples the hyperparameter search uses (see the remarks); at least 10.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxOptimizationSamples"/> is below 10.</exception>
    public GaussianProcessRegression(bool automaticRelevance = true, int maxOptimizationSamples = 128)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxOptimizationSamples, 10);
        AutomaticRelevance = automaticRelevance;
        MaxOptimizationSamples = maxOptimizationSamples;
    }

    /// <summary>Whether each feature has its own length scale.</summary>
    public bool AutomaticRelevance { get; }

    /// <summary>The most samples the hyperparameter search uses; the posterior always uses all of them.</summary>
    public int MaxOptimizationSamples { get; }

    /// <inheritdoc/>
    public string Description => string.Create(CultureInfo.InvariantCulture,
        $"GP(kernel=Matern52, ard={(AutomaticRelevance ? "true" : "false")}, maxOptimizationSamples={MaxOptimizationSamples})");

    /// <inheritdoc/>
    public bool IsFitted => _state is not null;

    /// <summary>The fitted hyperparameters, in standardized units.</summary>
    /// <exception cref="InvalidOperationException">The model has not been fitted.</exception>
    public GaussianProcessHyperparameters Hyperparameters => State.Hyperparameters;

    /// <summary>
    /// The log marginal likelihood of the standardized training targets (all samples) at <see cref="Hyperparameters"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">The model has not been fitted.</exception>
    public double LogMarginalLikelihood => State.Factor.LogLikelihood;

    private FittedState State => _state ?? throw new InvalidOperationException($"{Description} has not been fitted; call Fit first.");

    /// <inheritdoc/>
    public void Fit(IReadOnlyList<double[]> features, IReadOnlyList<double> targets)
    {
        var d = PredictorInput.CheckTrainingSet(features, targets);
        var n = features.Count;
        var scaler = FeatureStandardizer.Fit(features, d);
        var targetScaler = TargetStandardizer.Fit(targets);
        var z = new double[n][];
        for (var i = 0; i < n; i++)
            z[i] = scaler.Transform(features[i]);
        var y = targetScaler.Transform(targets);

        var (logLengthScales, logSignal, logNoise) = OptimizeHyperparameters(z, y, d, Math.Max(1, scaler.VaryingCount));
        var inverseLengthScales = new double[d];
        for (var f = 0; f < d; f++)
            inverseLengthScales[f] = Math.Exp(-logLengthScales[f]);
        var signal = Math.Exp(logSignal);
        var factor = new MarginalLikelihood(z, y).Factorize(inverseLengthScales, signal, Math.Exp(logNoise))
            ?? throw new InvalidOperationException($"{Description}: the covariance matrix could not be factorized even with jitter.");
        var hyperparameters = new GaussianProcessHyperparameters(signal, logLengthScales.Select(Math.Exp).ToArray(), factor.NoiseVariance);
        _state = new FittedState(scaler, targetScaler, z, y, Matern52Kernel.Scale(z, inverseLengthScales), inverseLengthScales, hyperparameters, factor);
    }

    /// <inheritdoc/>
    public Prediction Predict(ReadOnlySpan<double> features)
    {
        PredictorInput.CheckQuery(this, _state?.Scaler.Count ?? 0, features);
        var state = _state!;
        var query = Matern52Kernel.Scale(state.Scaler.Transform(features), state.InverseLengthScales);
        var signal = state.Hyperparameters.SignalVariance;
        var n = state.Scaled.Length;
        var cross = Vector<double>.Build.Dense(n);
        for (var i = 0; i < n; i++)
            cross[i] = Matern52Kernel.Value(Matern52Kernel.Distance(query, state.Scaled[i]), signal);
        var mean = cross.DotProduct(state.Factor.Alpha);
        // Latent variance s² − k*ᵀK⁻¹k*; rounding can push it slightly below 0 at a training point.
        var variance = Math.Max(0, signal - cross.DotProduct(state.Factor.Cholesky.Solve(cross)));
        var scale = state.TargetScaler.Scale;
        return new Prediction(state.TargetScaler.Mean + scale * mean, scale * Math.Sqrt(variance));
    }

    /// <summary>
    /// The log marginal likelihood of the standardized training targets at other hyperparameters (for diagnostics:
    /// the fitted ones should score at least as high); −∞ when the covariance cannot be factorized.
    /// </summary>
    /// <param name="hyperparameters">Hyperparameters with one length scale per feature, in standardized units.</param>
    /// <exception cref="InvalidOperationException">The model has not been fitted.</exception>
    /// <exception cref="ArgumentException">The number of length scales differs from the number of features.</exception>
    public double ComputeLogMarginalLikelihood(GaussianProcessHyperparameters hyperparameters)
    {
        ArgumentNullException.ThrowIfNull(hyperparameters);
        var state = State;
        var d = state.Scaler.Count;
        if (hyperparameters.LengthScales.Count != d)
            throw new ArgumentException($"There are {hyperparameters.LengthScales.Count} length scales; the model was fitted on {d} features.", nameof(hyperparameters));
        var inverse = hyperparameters.LengthScales.Select(l => 1 / l).ToArray();
        var factor = new MarginalLikelihood(state.Z, state.Y).Factorize(inverse, hyperparameters.SignalVariance, hyperparameters.NoiseVariance);
        return factor?.LogLikelihood ?? double.NegativeInfinity;
    }

    /// <summary>Everything one fit produces, swapped in at once.</summary>
    private sealed record FittedState(
        FeatureStandardizer Scaler,
        TargetStandardizer TargetScaler,
        double[][] Z,
        double[] Y,
        double[][] Scaled,
        double[] InverseLengthScales,
        GaussianProcessHyperparameters Hyperparameters,
        MarginalLikelihood.Factor Factor);
}
