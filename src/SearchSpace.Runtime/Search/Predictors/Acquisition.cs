using MathNet.Numerics.Distributions;

namespace SearchSpaceDsl.Search.Predictors;

/// <summary>Acquisition functions that turn a <see cref="Prediction"/> into the value of evaluating a candidate.</summary>
public static class Acquisition
{
    /// <summary>
    /// The expected improvement over <paramref name="best"/> for <em>minimization</em>:
    /// <c>E[max(best − Y, 0)]</c> for <c>Y ~ N(μ, σ²)</c>, which is
    /// <c>(best − μ) Φ(z) + σ φ(z)</c> with <c>z = (best − μ) / σ</c>, and <c>max(best − μ, 0)</c> when σ = 0.
    /// </summary>
    /// <param name="prediction">The candidate's predicted mean and standard deviation.</param>
    /// <param name="best">The smallest value observed so far.</param>
    /// <returns>A non-negative expected improvement.</returns>
    /// <exception cref="ArgumentException">A value is not finite, or the standard deviation is negative.</exception>
    public static double ExpectedImprovement(Prediction prediction, double best)
    {
        if (!double.IsFinite(best))
            throw new ArgumentException($"The best observed value must be finite; it is {best}.", nameof(best));
        var (mean, std) = prediction;
        if (!double.IsFinite(mean))
            throw new ArgumentException($"The predicted mean must be finite; it is {mean}.", nameof(prediction));
        if (!double.IsFinite(std) || std < 0)
            throw new ArgumentException($"The predicted standard deviation must be finite and non-negative; it is {std}.", nameof(prediction));
        var gain = best - mean;
        if (std == 0)
            return Math.Max(gain, 0);
        var z = gain / std;
        // Far below the best, rounding can make the sum a hair negative.
        return Math.Max(0, gain * Normal.CDF(0, 1, z) + std * Normal.PDF(0, 1, z));
    }
}
