using System.Globalization;
using MathNet.Numerics.LinearAlgebra;

namespace SearchSpaceDsl.Search.Predictors;

/// <summary>
/// Linear least squares with an L2 penalty: the baseline predictor. Features are standardized (a feature constant
/// over the training set is ignored) and targets centered, then the weights solve
/// <c>(ZᵀZ + αI) w = Zᵀ(y − ȳ)</c> in closed form by a Cholesky factorization. The intercept is not penalized.
/// </summary>
/// <remarks>
/// Deterministic: the same samples give the same weights. The penalty acts on standardized weights, so it treats every
/// feature alike whatever its units. <see cref="Prediction.StandardDeviation"/> is always 0.
/// </remarks>
public sealed class RidgeRegression : IPredictor
{
    private double _alpha;
    private double[]? _coefficients;
    private double _intercept;

    /// <summary>Creates an unfitted ridge regression.</summary>
    /// <param name="alpha">The penalty on the standardized weights (see <see cref="Alpha"/>).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="alpha"/> is not finite and positive.</exception>
    public RidgeRegression(double alpha = 1.0) => Alpha = alpha;

    /// <summary>
    /// The penalty on the standardized weights; finite and positive, which also keeps the system solvable with
    /// constant or collinear features. A change takes effect at the next <see cref="Fit"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not finite and positive.</exception>
    public double Alpha
    {
        get => _alpha;
        set
        {
            if (!double.IsFinite(value) || value <= 0)
                throw new ArgumentOutOfRangeException(nameof(value), value, "The ridge penalty alpha must be finite and positive.");
            _alpha = value;
        }
    }

    /// <inheritdoc/>
    public string Description => $"Ridge(alpha={Alpha.ToString(CultureInfo.InvariantCulture)})";

    /// <inheritdoc/>
    public bool IsFitted => _coefficients is not null;

    /// <summary>The weight of each feature in its original units (0 for a feature constant over the training set).</summary>
    /// <exception cref="InvalidOperationException">The model has not been fitted.</exception>
    public IReadOnlyList<double> Coefficients => _coefficients ?? throw NotFitted();

    /// <summary>The prediction at the all-zero encoding, in target units.</summary>
    /// <exception cref="InvalidOperationException">The model has not been fitted.</exception>
    public double Intercept => _coefficients is not null ? _intercept : throw NotFitted();

    /// <inheritdoc/>
    public void Fit(IReadOnlyList<double[]> features, IReadOnlyList<double> targets)
    {
        var d = PredictorInput.CheckTrainingSet(features, targets);
        var n = features.Count;
        var scaler = FeatureStandardizer.Fit(features, d);
        var z = Matrix<double>.Build.Dense(n, d);
        var row = new double[d];
        for (var i = 0; i < n; i++)
        {
            scaler.Transform(features[i], row);
            z.SetRow(i, row);
        }
        var yMean = targets.Average();
        var centered = Vector<double>.Build.Dense(n, i => targets[i] - yMean);

        var gram = z.TransposeThisAndMultiply(z);
        for (var j = 0; j < d; j++)
            gram[j, j] += Alpha;
        // ZᵀZ + αI is symmetric positive definite for α > 0, so Cholesky always succeeds.
        var weights = gram.Cholesky().Solve(z.TransposeThisAndMultiply(centered));

        // Folding the standardization into the weights makes Predict a single dot product.
        var coefficients = new double[d];
        var intercept = yMean;
        for (var j = 0; j < d; j++)
        {
            coefficients[j] = weights[j] * scaler.InverseScales[j];
            intercept -= coefficients[j] * scaler.Means[j];
        }
        _coefficients = coefficients;
        _intercept = intercept;
    }

    /// <inheritdoc/>
    public Prediction Predict(ReadOnlySpan<double> features)
    {
        PredictorInput.CheckQuery(this, _coefficients?.Length ?? 0, features);
        var mean = _intercept;
        var coefficients = _coefficients!;
        for (var j = 0; j < coefficients.Length; j++)
            mean += coefficients[j] * features[j];
        return new Prediction(mean, 0);
    }

    private InvalidOperationException NotFitted() => new($"{Description} has not been fitted; call Fit first.");
}
