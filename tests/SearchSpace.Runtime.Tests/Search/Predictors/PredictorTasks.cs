using SearchSpaceDsl.Zoo;

namespace SearchSpaceDsl.Tests.Search.Predictors;

/// <summary>Seeded data sets for the predictor tests.</summary>
internal static class PredictorTasks
{
    /// <summary>
    /// Uniform members of HW-GPT-Bench space S, encoded, with the log of their analytic parameter count plus Gaussian
    /// noise as target: smooth in the encoding but not linear (the count multiplies widths).
    /// </summary>
    internal static (double[][] Features, double[] Targets) HwGptBenchS(int count, int seed, EncodingKind kind = EncodingKind.Ordinal, double noise = 0.05)
    {
        var random = new Random(seed);
        var features = new double[count][];
        var targets = new double[count];
        for (var i = 0; i < count; i++)
        {
            var arch = SearchSpaceDsl.Zoo.HwGptBenchS.Space.Sample(random);
            features[i] = SearchSpaceDsl.Zoo.HwGptBenchS.Space.Encode(arch, kind);
            targets[i] = Math.Log(HwGptBenchSModel.CountParameters(arch)) + noise * Gaussian(random);
        }
        return (features, targets);
    }

    /// <summary>Points drawn uniformly in [−1, 1]^d with <paramref name="function"/> as target.</summary>
    internal static (double[][] Features, double[] Targets) Uniform(int count, int d, int seed, Func<double[], double> function)
    {
        var random = new Random(seed);
        var features = new double[count][];
        var targets = new double[count];
        for (var i = 0; i < count; i++)
        {
            features[i] = new double[d];
            for (var j = 0; j < d; j++)
                features[i][j] = 2 * random.NextDouble() - 1;
            targets[i] = function(features[i]);
        }
        return (features, targets);
    }

    /// <summary>A standard normal draw (Box–Muller).</summary>
    internal static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
