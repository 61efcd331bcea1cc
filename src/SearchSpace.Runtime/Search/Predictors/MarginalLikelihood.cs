using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Factorization;

namespace SearchSpaceDsl.Search.Predictors;

/// <summary>
/// The log marginal likelihood of a zero-mean Gaussian process with a Matérn-5/2 kernel plus noise on standardized
/// data, its gradient with respect to the log hyperparameters, and the Cholesky factorization that Predict reuses.
/// </summary>
/// <remarks>
/// <c>log p(y) = −½ yᵀK⁻¹y − ½ log|K| − (n/2) log 2π</c> with <c>K = K_f + σ²I</c>; its derivative with respect to a
/// hyperparameter θ is <c>½ tr((ααᵀ − K⁻¹) ∂K/∂θ)</c> with <c>α = K⁻¹y</c> (Rasmussen and Williams, eq. 5.9).
/// </remarks>
internal sealed class MarginalLikelihood
{
    /// <summary>Jitter added to the noise, in units of the signal variance, when a factorization fails.</summary>
    private static readonly double[] Jitters = [0, 1e-10, 1e-8, 1e-6, 1e-4, 1e-2];

    private readonly IReadOnlyList<double[]> _z;
    private readonly Vector<double> _y;

    /// <summary>Wraps standardized features and targets (not copied).</summary>
    internal MarginalLikelihood(IReadOnlyList<double[]> z, double[] y)
    {
        _z = z;
        _y = Vector<double>.Build.Dense(y);
    }

    /// <summary>The number of samples.</summary>
    internal int Count => _z.Count;

    /// <summary>A factorized covariance: what Predict needs, and the likelihood.</summary>
    /// <param name="Cholesky">The Cholesky factorization of <c>K</c>.</param>
    /// <param name="Alpha"><c>K⁻¹y</c>.</param>
    /// <param name="LogLikelihood">The log marginal likelihood.</param>
    /// <param name="NoiseVariance">The noise variance used, jitter included.</param>
    internal sealed record Factor(Cholesky<double> Cholesky, Vector<double> Alpha, double LogLikelihood, double NoiseVariance);

    /// <summary>
    /// Factorizes <c>K</c> at the given hyperparameters, adding jitter to the diagonal when the factorization fails;
    /// null when it fails even with the largest jitter.
    /// </summary>
    internal Factor? Factorize(ReadOnlySpan<double> inverseLengthScales, double signalVariance, double noiseVariance) =>
        Factorize(Distances(inverseLengthScales), signalVariance, noiseVariance);

    /// <summary>The scaled distances between all samples, column-major <c>n × n</c>.</summary>
    private double[] Distances(ReadOnlySpan<double> inverseLengthScales)
    {
        var n = _z.Count;
        var scaled = Matern52Kernel.Scale(_z, inverseLengthScales);
        var distances = new double[n * n];
        for (var j = 0; j < n; j++)
        {
            for (var i = j + 1; i < n; i++)
                distances[j * n + i] = distances[i * n + j] = Matern52Kernel.Distance(scaled[i], scaled[j]);
        }
        return distances;
    }

    private Factor? Factorize(double[] distances, double signalVariance, double noiseVariance)
    {
        var n = _z.Count;
        var k = new double[n * n];
        for (var i = 0; i < k.Length; i++)
            k[i] = Matern52Kernel.Value(distances[i], signalVariance);
        // Column-major storage: the matrix uses the array, so the diagonal can be raised in place between attempts.
        var matrix = Matrix<double>.Build.Dense(n, n, k);
        foreach (var jitter in Jitters)
        {
            var noise = noiseVariance + jitter * signalVariance;
            for (var i = 0; i < n; i++)
                k[i * n + i] = signalVariance + noise;
            Cholesky<double> cholesky;
            try
            {
                cholesky = matrix.Cholesky();
            }
            catch (ArgumentException)
            {
                continue; // not numerically positive definite: retry with more jitter
            }
            var alpha = cholesky.Solve(_y);
            var logLikelihood = -0.5 * _y.DotProduct(alpha) - 0.5 * cholesky.DeterminantLn - 0.5 * n * Math.Log(2 * Math.PI);
            if (double.IsFinite(logLikelihood))
                return new Factor(cholesky, alpha, logLikelihood, noise);
        }
        return null;
    }

    /// <summary>
    /// The log marginal likelihood at the given hyperparameters and its gradient with respect to
    /// <c>log ℓ</c> (one per feature, or their sum into <paramref name="gradient"/>[0] when
    /// <paramref name="isotropic"/>), <c>log s²</c> and <c>log σ²</c>, in that order; null when the covariance cannot be
    /// factorized.
    /// </summary>
    internal double? EvaluateWithGradient(ReadOnlySpan<double> inverseLengthScales, double signalVariance, double noiseVariance, bool isotropic, Span<double> gradient)
    {
        var distances = Distances(inverseLengthScales);
        var factor = Factorize(distances, signalVariance, noiseVariance);
        if (factor is null)
            return null;
        var n = _z.Count;
        var d = inverseLengthScales.Length;
        var alpha = factor.Alpha;
        // W = ααᵀ − K⁻¹; K⁻¹ is the one O(n³) step beyond the factorization. Column by column because MathNet
        // solves a matrix right-hand side in parallel, which for these sizes costs more in fork and join than it saves.
        var inverse = new double[n * n];
        var unit = Vector<double>.Build.Dense(n);
        var column = Vector<double>.Build.Dense(n);
        for (var c = 0; c < n; c++)
        {
            unit[c] = 1;
            factor.Cholesky.Solve(unit, column);
            unit[c] = 0;
            Array.Copy(column.AsArray(), 0, inverse, c * n, n);
        }
        var scaled = Matern52Kernel.Scale(_z, inverseLengthScales);
        var perFeature = new double[d];
        double signal = 0, trace = 0;
        for (var j = 0; j < n; j++)
        {
            var wjj = alpha[j] * alpha[j] - inverse[j * n + j];
            trace += wjj;
            signal += 0.5 * wjj * signalVariance;
            var zj = scaled[j];
            for (var i = j + 1; i < n; i++)
            {
                var r = distances[j * n + i];
                var w = alpha[i] * alpha[j] - inverse[j * n + i];
                // Off-diagonal pairs appear twice in the trace, which cancels the ½.
                signal += w * Matern52Kernel.Value(r, signalVariance);
                var g = w * Matern52Kernel.LengthScaleFactor(r, signalVariance);
                var zi = scaled[i];
                for (var f = 0; f < d; f++)
                {
                    var t = zi[f] - zj[f];
                    perFeature[f] += g * t * t;
                }
            }
        }
        if (isotropic)
        {
            double sum = 0;
            foreach (var v in perFeature)
                sum += v;
            gradient[0] = sum;
            gradient[1] = signal;
            gradient[2] = 0.5 * noiseVariance * trace;
        }
        else
        {
            perFeature.CopyTo(gradient);
            gradient[d] = signal;
            gradient[d + 1] = 0.5 * noiseVariance * trace;
        }
        return factor.LogLikelihood;
    }
}
