namespace SearchSpaceDsl.Search.Predictors;

/// <summary>
/// How well a predictor ranks architectures it has not seen: Kendall's τ-b (<see cref="KendallTau"/>) between its
/// predicted means and the true targets on held-out samples. Both methods refit the predictor, which is left fitted on
/// the training part of the last split.
/// </summary>
public static class PredictorValidation
{
    /// <summary>
    /// Shuffles the samples with <paramref name="seed"/>, holds out <c>round(n · testFraction)</c> of them (at least 2,
    /// leaving at least 1 to fit on), fits on the rest and returns τ between the predictions and targets on the held-out part.
    /// </summary>
    /// <param name="predictor">The predictor to fit and evaluate.</param>
    /// <param name="features">One encoding per sample.</param>
    /// <param name="targets">One target per sample.</param>
    /// <param name="testFraction">The share of samples held out, in (0, 1).</param>
    /// <param name="seed">Seeds the shuffle: the same seed gives the same split.</param>
    /// <returns>τ-b, or NaN when the held-out targets or predictions are all equal.</returns>
    /// <exception cref="ArgumentException">Fewer than 3 samples, a fraction outside (0, 1), or invalid samples.</exception>
    public static double HeldOutKendallTau(IPredictor predictor, IReadOnlyList<double[]> features, IReadOnlyList<double> targets, double testFraction, int seed)
    {
        var n = CheckArguments(predictor, features, targets, 3);
        if (!(testFraction > 0 && testFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(testFraction), testFraction, "The test fraction must be strictly between 0 and 1.");
        var testCount = Math.Clamp((int)Math.Round(n * testFraction), 2, n - 1);
        var order = Shuffled(n, seed);
        return Score(predictor, features, targets, order.AsSpan(0, testCount), order.AsSpan(testCount));
    }

    /// <summary>
    /// k-fold cross-validation: shuffles the samples with <paramref name="seed"/>, splits them into
    /// <paramref name="folds"/> folds of nearly equal size, and for each fold fits on the others and computes τ on it.
    /// </summary>
    /// <param name="predictor">The predictor to fit and evaluate.</param>
    /// <param name="features">One encoding per sample.</param>
    /// <param name="targets">One target per sample.</param>
    /// <param name="folds">The number of folds, at least 2, with at least 2 samples in each.</param>
    /// <param name="seed">Seeds the shuffle: the same seed gives the same folds.</param>
    /// <returns>The mean τ-b over the folds (NaN when a fold's targets or predictions are all equal).</returns>
    /// <exception cref="ArgumentException">Too few folds or samples, or invalid samples.</exception>
    public static double CrossValidatedKendallTau(IPredictor predictor, IReadOnlyList<double[]> features, IReadOnlyList<double> targets, int folds, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(folds, 2);
        var n = CheckArguments(predictor, features, targets, 2 * folds);
        var order = Shuffled(n, seed);
        double sum = 0;
        for (var k = 0; k < folds; k++)
        {
            var start = (int)((long)k * n / folds);
            var end = (int)((long)(k + 1) * n / folds);
            var train = new int[n - (end - start)];
            order.AsSpan(0, start).CopyTo(train);
            order.AsSpan(end).CopyTo(train.AsSpan(start));
            sum += Score(predictor, features, targets, order.AsSpan(start, end - start), train);
        }
        return sum / folds;
    }

    private static int CheckArguments(IPredictor predictor, IReadOnlyList<double[]> features, IReadOnlyList<double> targets, int minimum)
    {
        ArgumentNullException.ThrowIfNull(predictor);
        PredictorInput.CheckTrainingSet(features, targets);
        if (features.Count < minimum)
            throw new ArgumentException($"Validation needs at least {minimum} samples here; there are {features.Count}.", nameof(features));
        return features.Count;
    }

    private static int[] Shuffled(int n, int seed)
    {
        var order = new int[n];
        for (var i = 0; i < n; i++)
            order[i] = i;
        new Random(seed).Shuffle(order);
        return order;
    }

    private static double Score(IPredictor predictor, IReadOnlyList<double[]> features, IReadOnlyList<double> targets, ReadOnlySpan<int> test, ReadOnlySpan<int> train)
    {
        var trainFeatures = new double[train.Length][];
        var trainTargets = new double[train.Length];
        for (var i = 0; i < train.Length; i++)
        {
            trainFeatures[i] = features[train[i]];
            trainTargets[i] = targets[train[i]];
        }
        predictor.Fit(trainFeatures, trainTargets);
        var predicted = new double[test.Length];
        var actual = new double[test.Length];
        for (var i = 0; i < test.Length; i++)
        {
            predicted[i] = predictor.Predict(features[test[i]]).Mean;
            actual[i] = targets[test[i]];
        }
        return KendallTau.Compute(predicted, actual);
    }
}
