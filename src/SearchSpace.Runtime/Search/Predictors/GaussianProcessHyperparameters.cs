using System.Globalization;

namespace SearchSpaceDsl.Search.Predictors;

/// <summary>
/// The hyperparameters of <see cref="GaussianProcessRegression"/>'s Matérn-5/2 kernel plus noise, all in
/// standardized units: length scales in per-feature standard deviations, variances in units of the target variance.
/// </summary>
public sealed class GaussianProcessHyperparameters
{
    private readonly double[] _lengthScales;

    /// <summary>Creates a set of hyperparameters.</summary>
    /// <param name="signalVariance">The prior variance of the latent function.</param>
    /// <param name="lengthScales">One length scale per feature (all equal for an isotropic kernel).</param>
    /// <param name="noiseVariance">The variance of the observation noise.</param>
    /// <exception cref="ArgumentNullException"><paramref name="lengthScales"/> is null.</exception>
    /// <exception cref="ArgumentException">A value is not finite and positive, or there is no length scale.</exception>
    public GaussianProcessHyperparameters(double signalVariance, IReadOnlyList<double> lengthScales, double noiseVariance)
    {
        ArgumentNullException.ThrowIfNull(lengthScales);
        Check(signalVariance, "The signal variance", nameof(signalVariance));
        Check(noiseVariance, "The noise variance", nameof(noiseVariance));
        if (lengthScales.Count == 0)
            throw new ArgumentException("There must be one length scale per feature; none was given.", nameof(lengthScales));
        _lengthScales = lengthScales.ToArray();
        for (var j = 0; j < _lengthScales.Length; j++)
            Check(_lengthScales[j], $"Length scale {j}", nameof(lengthScales));
        SignalVariance = signalVariance;
        NoiseVariance = noiseVariance;
    }

    /// <summary>The prior variance of the latent function.</summary>
    public double SignalVariance { get; }

    /// <summary>One length scale per feature, in standard deviations of that feature.</summary>
    public IReadOnlyList<double> LengthScales => _lengthScales;

    /// <summary>The variance of the observation noise (including any jitter the factorization needed).</summary>
    public double NoiseVariance { get; }

    /// <summary>The values, such as <c>signal=1.2, noise=0.001, lengthScales=[0.8, 3.1]</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"signal={SignalVariance:G4}, noise={NoiseVariance:G4}, lengthScales=[{string.Join(", ", _lengthScales.Select(l => l.ToString("G4", CultureInfo.InvariantCulture)))}]");

    private static void Check(double value, string what, string paramName)
    {
        if (!double.IsFinite(value) || value <= 0)
            throw new ArgumentException($"{what} must be finite and positive; it is {value}.", paramName);
    }
}
