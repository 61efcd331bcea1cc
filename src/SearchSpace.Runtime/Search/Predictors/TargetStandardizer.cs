namespace SearchSpaceDsl.Search.Predictors;

/// <summary>
/// Standardization of targets learned from a training set: <c>(y − Mean) / Scale</c> with the population standard
/// deviation as scale, or 1 when every target is equal (then the standardized targets are all 0).
/// </summary>
/// <param name="Mean">The mean training target.</param>
/// <param name="Scale">The standard deviation of the training targets, or 1 when it is 0.</param>
internal readonly record struct TargetStandardizer(double Mean, double Scale)
{
    /// <summary>Learns the mean and scale of already validated targets.</summary>
    internal static TargetStandardizer Fit(IReadOnlyList<double> targets)
    {
        var n = targets.Count;
        double mean = 0;
        for (var i = 0; i < n; i++)
            mean += targets[i];
        mean /= n;
        double variance = 0;
        for (var i = 0; i < n; i++)
        {
            var t = targets[i] - mean;
            variance += t * t;
        }
        var std = Math.Sqrt(variance / n);
        return new TargetStandardizer(mean, std > 1e-12 * Math.Max(1, Math.Abs(mean)) ? std : 1);
    }

    /// <summary>The standardized targets.</summary>
    internal double[] Transform(IReadOnlyList<double> targets)
    {
        var z = new double[targets.Count];
        for (var i = 0; i < z.Length; i++)
            z[i] = (targets[i] - Mean) / Scale;
        return z;
    }
}
