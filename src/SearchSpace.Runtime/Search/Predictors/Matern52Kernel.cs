namespace SearchSpaceDsl.Search.Predictors;

/// <summary>
/// The Matérn-5/2 covariance <c>k(r) = s² (1 + √5 r + 5r²/3) exp(−√5 r)</c> of the scaled distance
/// <c>r = ‖(x − x′) / ℓ‖</c>: twice differentiable sample paths, rougher than the RBF's (which suits encodings of
/// discrete choices better) and the usual choice in Bayesian optimization.
/// </summary>
internal static class Matern52Kernel
{
    private static readonly double Sqrt5 = Math.Sqrt(5);

    /// <summary>The covariance at scaled distance <paramref name="r"/>.</summary>
    internal static double Value(double r, double signalVariance) =>
        signalVariance * (1 + Sqrt5 * r + 5.0 / 3.0 * r * r) * Math.Exp(-Sqrt5 * r);

    /// <summary>
    /// <c>−(1/r) dk/dr = s² (5/3)(1 + √5 r) exp(−√5 r)</c>, finite at r = 0; the derivative with respect to
    /// <c>log ℓ_d</c> is this times <c>((x_d − x′_d) / ℓ_d)²</c>.
    /// </summary>
    internal static double LengthScaleFactor(double r, double signalVariance) =>
        signalVariance * 5.0 / 3.0 * (1 + Sqrt5 * r) * Math.Exp(-Sqrt5 * r);

    /// <summary>Each row of <paramref name="z"/> divided elementwise by the length scales.</summary>
    internal static double[][] Scale(IReadOnlyList<double[]> z, ReadOnlySpan<double> inverseLengthScales)
    {
        var scaled = new double[z.Count][];
        for (var i = 0; i < scaled.Length; i++)
            scaled[i] = Scale(z[i], inverseLengthScales);
        return scaled;
    }

    /// <summary><paramref name="z"/> divided elementwise by the length scales.</summary>
    internal static double[] Scale(ReadOnlySpan<double> z, ReadOnlySpan<double> inverseLengthScales)
    {
        var scaled = new double[z.Length];
        for (var j = 0; j < scaled.Length; j++)
            scaled[j] = z[j] * inverseLengthScales[j];
        return scaled;
    }

    /// <summary>The Euclidean distance between two already scaled points.</summary>
    internal static double Distance(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double sum = 0;
        for (var j = 0; j < a.Length; j++)
        {
            var t = a[j] - b[j];
            sum += t * t;
        }
        return Math.Sqrt(sum);
    }
}
