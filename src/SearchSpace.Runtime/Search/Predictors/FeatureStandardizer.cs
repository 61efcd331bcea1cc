namespace SearchSpaceDsl.Search.Predictors;

/// <summary>
/// Per-feature standardization learned from a training set: <c>z = (x − mean) / std</c> with the population standard
/// deviation. A feature that is constant over the training set carries no information, so it maps to 0 whatever its
/// value at prediction time (otherwise an unseen value would look arbitrarily far from every sample).
/// </summary>
internal sealed class FeatureStandardizer
{
    private readonly double[] _means;
    private readonly double[] _inverseScales;

    private FeatureStandardizer(double[] means, double[] inverseScales)
    {
        _means = means;
        _inverseScales = inverseScales;
    }

    /// <summary>The number of features.</summary>
    internal int Count => _means.Length;

    /// <summary>The number of features that vary over the training set.</summary>
    internal int VaryingCount { get; private init; }

    /// <summary>Per-feature training means.</summary>
    internal ReadOnlySpan<double> Means => _means;

    /// <summary>Per-feature factors <c>1 / std</c>, 0 for a constant feature.</summary>
    internal ReadOnlySpan<double> InverseScales => _inverseScales;

    /// <summary>Learns the means and scales of already validated features.</summary>
    internal static FeatureStandardizer Fit(IReadOnlyList<double[]> features, int d)
    {
        var n = features.Count;
        var means = new double[d];
        var inverseScales = new double[d];
        var varying = 0;
        for (var j = 0; j < d; j++)
        {
            double mean = 0;
            for (var i = 0; i < n; i++)
                mean += features[i][j];
            mean /= n;
            double variance = 0;
            for (var i = 0; i < n; i++)
            {
                var t = features[i][j] - mean;
                variance += t * t;
            }
            var std = Math.Sqrt(variance / n);
            means[j] = mean;
            // Relative threshold: rounding in the mean of a constant column leaves a spread near machine precision.
            if (std > 1e-12 * Math.Max(1, Math.Abs(mean)))
            {
                inverseScales[j] = 1 / std;
                varying++;
            }
        }
        return new FeatureStandardizer(means, inverseScales) { VaryingCount = varying };
    }

    /// <summary>Writes the standardized form of <paramref name="x"/> into <paramref name="z"/>.</summary>
    internal void Transform(ReadOnlySpan<double> x, Span<double> z)
    {
        for (var j = 0; j < _means.Length; j++)
            z[j] = (x[j] - _means[j]) * _inverseScales[j];
    }

    /// <summary>The standardized form of <paramref name="x"/>.</summary>
    internal double[] Transform(ReadOnlySpan<double> x)
    {
        var z = new double[_means.Length];
        Transform(x, z);
        return z;
    }
}
