using SearchSpaceDsl.Search.Predictors;

namespace SearchSpaceDsl.Tests.Search.Predictors;

public sealed class MarginalLikelihoodTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void The_analytic_gradient_matches_finite_differences(bool isotropic)
    {
        var random = new Random(4);
        var (z, y) = PredictorTasks.Uniform(15, 3, 5, f => Math.Sin(2 * f[0]) + f[1] + 0.1 * PredictorTasks.Gaussian(random));
        var likelihood = new MarginalLikelihood(z, y);
        // Log hyperparameters: length scales (one, or one per feature), signal variance, noise variance.
        double[] theta = isotropic ? [Math.Log(0.7), Math.Log(1.3), Math.Log(0.05)] : [Math.Log(0.7), Math.Log(2.0), Math.Log(0.4), Math.Log(1.3), Math.Log(0.05)];

        double Evaluate(double[] t, Span<double> gradient)
        {
            var inverse = Enumerable.Range(0, 3).Select(f => Math.Exp(-t[isotropic ? 0 : f])).ToArray();
            return likelihood.EvaluateWithGradient(inverse, Math.Exp(t[^2]), Math.Exp(t[^1]), isotropic, gradient)!.Value;
        }

        var analytic = new double[theta.Length];
        var value = Evaluate(theta, analytic);
        Assert.True(double.IsFinite(value));
        const double h = 1e-5;
        for (var k = 0; k < theta.Length; k++)
        {
            var plus = (double[])theta.Clone();
            var minus = (double[])theta.Clone();
            plus[k] += h;
            minus[k] -= h;
            var numeric = (Evaluate(plus, new double[theta.Length]) - Evaluate(minus, new double[theta.Length])) / (2 * h);
            Assert.True(Math.Abs(numeric - analytic[k]) < 1e-5 * Math.Max(1, Math.Abs(numeric)), $"parameter {k}: analytic {analytic[k]}, numeric {numeric}");
        }
    }
}
