using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Optimization;

namespace SearchSpaceDsl.Search.Predictors;

// The deterministic multi-start search for the hyperparameters that maximize the log marginal likelihood.
public sealed partial class GaussianProcessRegression
{
    private static readonly double MinLogLengthScale = Math.Log(0.05);
    private static readonly double MaxLogLengthScale = Math.Log(1000);
    private static readonly double MinLogSignal = Math.Log(0.01);
    private static readonly double MaxLogSignal = Math.Log(100);
    private static readonly double MinLogNoise = Math.Log(1e-6);
    private static readonly double MaxLogNoise = Math.Log(2);

    // The starting grid: length scales relative to √(varying features), the typical scaled distance between samples.
    private static readonly double[] GridLengthScales = [0.25, 0.5, 1, 2, 4];
    private static readonly double[] GridNoises = [1e-4, 1e-2, 0.1, 0.5];
    private const int Starts = 2;
    private const int MaxIterations = 30;

    /// <summary>The log hyperparameters (one log length scale per feature, log s², log σ²) of the best likelihood found.</summary>
    private (double[] LogLengthScales, double LogSignal, double LogNoise) OptimizeHyperparameters(double[][] z, double[] y, int d, int varying)
    {
        var likelihood = new MarginalLikelihood(Subset(z), Subset(y));
        var m = likelihood.Count;
        var p = AutomaticRelevance ? d + 2 : 3;
        var lower = new double[p];
        var upper = new double[p];
        for (var k = 0; k < p - 2; k++)
            (lower[k], upper[k]) = (MinLogLengthScale, MaxLogLengthScale);
        (lower[p - 2], upper[p - 2]) = (MinLogSignal, MaxLogSignal);
        (lower[p - 1], upper[p - 1]) = (MinLogNoise, MaxLogNoise);

        var best = (Value: double.NegativeInfinity, Theta: (double[]?)null);
        void Consider(double value, double[] theta)
        {
            if (value > best.Value)
                best = (value, (double[])theta.Clone());
        }

        // Coarse isotropic grid, likelihood only (one factorization each, no inverse).
        var inverseLengthScales = new double[d];
        var grid = new List<(double Value, double[] Theta)>();
        foreach (var relative in GridLengthScales)
        {
            var logLength = Math.Clamp(Math.Log(relative * Math.Sqrt(varying)), MinLogLengthScale, MaxLogLengthScale);
            Array.Fill(inverseLengthScales, Math.Exp(-logLength));
            foreach (var noise in GridNoises)
            {
                var theta = new double[p];
                Array.Fill(theta, logLength, 0, p - 2);
                theta[p - 1] = Math.Log(noise);
                var factor = likelihood.Factorize(inverseLengthScales, 1, noise);
                if (factor is null)
                    continue;
                grid.Add((factor.LogLikelihood, theta));
                Consider(factor.LogLikelihood, theta);
            }
        }

        // BFGS from the best grid points, on u with θ = lower + (upper − lower)·sigmoid(u), so every θ is in bounds.
        var gradient = new double[p];
        var objective = ObjectiveFunction.Gradient(u =>
        {
            var theta = new double[p];
            for (var k = 0; k < p; k++)
                theta[k] = lower[k] + (upper[k] - lower[k]) * Sigmoid(u[k]);
            FillInverseLengthScales(theta, inverseLengthScales);
            var value = likelihood.EvaluateWithGradient(inverseLengthScales, Math.Exp(theta[p - 2]), Math.Exp(theta[p - 1]), !AutomaticRelevance, gradient);
            var du = Vector<double>.Build.Dense(p);
            if (value is not { } lml)
                return (1e10, du); // unreachable in practice with jitter; a huge value makes the line search back off
            Consider(lml, theta);
            // Per sample, so that the tolerances and BFGS's first step do not depend on the number of samples.
            for (var k = 0; k < p; k++)
            {
                var s = Sigmoid(u[k]);
                du[k] = -gradient[k] * (upper[k] - lower[k]) * s * (1 - s) / m;
            }
            return (-lml / m, du);
        });
        var minimizer = new BfgsMinimizer(gradientTolerance: 1e-3, parameterTolerance: 1e-4, functionProgressTolerance: 1e-7, maximumIterations: MaxIterations);
        foreach (var (_, start) in grid.OrderByDescending(g => g.Value).Take(Starts))
        {
            var u0 = Vector<double>.Build.Dense(p, k => Logit((Math.Clamp(start[k], lower[k], upper[k]) - lower[k]) / (upper[k] - lower[k])));
            try
            {
                minimizer.FindMinimum(objective, u0);
            }
            catch (OptimizationException)
            {
                // Iteration limit or a failed line search: the best point seen so far is kept either way.
            }
        }

        var result = best.Theta ?? throw new InvalidOperationException($"{Description}: no hyperparameters gave a factorizable covariance matrix.");
        var logLengthScales = new double[d];
        for (var f = 0; f < d; f++)
            logLengthScales[f] = result[AutomaticRelevance ? f : 0];
        return (logLengthScales, result[p - 2], result[p - 1]);
    }

    private void FillInverseLengthScales(double[] theta, double[] inverseLengthScales)
    {
        for (var f = 0; f < inverseLengthScales.Length; f++)
            inverseLengthScales[f] = Math.Exp(-theta[AutomaticRelevance ? f : 0]);
    }

    /// <summary>At most <see cref="MaxOptimizationSamples"/> evenly spaced items (all of them when there are fewer).</summary>
    private T[] Subset<T>(T[] items)
    {
        var n = items.Length;
        if (n <= MaxOptimizationSamples)
            return items;
        var subset = new T[MaxOptimizationSamples];
        for (var k = 0; k < subset.Length; k++)
            subset[k] = items[(int)((long)k * n / subset.Length)];
        return subset;
    }

    private static double Sigmoid(double u) => 1 / (1 + Math.Exp(-u));

    // Starting points on a bound would sit where the sigmoid is flat; keep them just inside.
    private static double Logit(double fraction)
    {
        var f = Math.Clamp(fraction, 1e-3, 1 - 1e-3);
        return Math.Log(f / (1 - f));
    }
}
