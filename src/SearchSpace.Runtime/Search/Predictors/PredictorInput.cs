namespace SearchSpaceDsl.Search.Predictors;

/// <summary>
/// The argument checks every predictor shares, so that each error names the sample, the feature or the predictor
/// involved in the same words.
/// </summary>
internal static class PredictorInput
{
    /// <summary>
    /// Checks a training set (at least one sample, one count of targets, all encodings of one positive length, every
    /// value finite) and returns the number of features. Nothing is changed, so a failed fit keeps the earlier one.
    /// </summary>
    internal static int CheckTrainingSet(IReadOnlyList<double[]> features, IReadOnlyList<double> targets)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(targets);
        if (features.Count == 0)
            throw new ArgumentException("There is no sample to fit; at least one is needed.", nameof(features));
        if (targets.Count != features.Count)
            throw new ArgumentException($"There are {features.Count} samples but {targets.Count} targets; each sample needs one target.", nameof(targets));
        var first = features[0] ?? throw new ArgumentException("Sample 0 is null.", nameof(features));
        var d = first.Length;
        if (d == 0)
            throw new ArgumentException("Sample 0 has no features; encodings must have at least one.", nameof(features));
        for (var i = 0; i < features.Count; i++)
        {
            var sample = features[i] ?? throw new ArgumentException($"Sample {i} is null.", nameof(features));
            if (sample.Length != d)
                throw new ArgumentException($"Sample {i} has {sample.Length} features; expected {d}.", nameof(features));
            for (var j = 0; j < d; j++)
            {
                if (!double.IsFinite(sample[j]))
                    throw new ArgumentException($"Sample {i} has a non-finite value ({sample[j]}) in feature {j}.", nameof(features));
            }
            if (!double.IsFinite(targets[i]))
                throw new ArgumentException($"Target {i} is not finite ({targets[i]}).", nameof(targets));
        }
        return d;
    }

    /// <summary>Checks that <paramref name="predictor"/> is fitted and that one encoding has its length and finite values.</summary>
    internal static void CheckQuery(IPredictor predictor, int expectedLength, ReadOnlySpan<double> features)
    {
        if (!predictor.IsFitted)
            throw new InvalidOperationException($"{predictor.Description} has not been fitted; call Fit before Predict.");
        if (features.Length != expectedLength)
            throw new ArgumentException($"The encoding has {features.Length} features; the predictor was fitted on {expectedLength}.", nameof(features));
        for (var j = 0; j < features.Length; j++)
        {
            if (!double.IsFinite(features[j]))
                throw new ArgumentException($"The encoding has a non-finite value ({features[j]}) in feature {j}.", nameof(features));
        }
    }
}
