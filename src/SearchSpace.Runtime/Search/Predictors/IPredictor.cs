namespace SearchSpaceDsl.Search.Predictors;

/// <summary>
/// A regression model from an architecture's numeric encoding to one objective value, used by predictor-assisted
/// search (LINAS, ParEGO) and by users who want to rank architectures before evaluating them.
/// </summary>
public interface IPredictor
{
    /// <summary>A short name and its settings, such as <c>Ridge(alpha=1)</c>.</summary>
    string Description { get; }

    /// <summary>Whether <see cref="Fit"/> has been called.</summary>
    bool IsFitted { get; }

    /// <summary>Fits the model from scratch to the samples (earlier fits are forgotten).</summary>
    /// <param name="features">One encoding per sample, all of one length.</param>
    /// <param name="targets">One finite target per sample.</param>
    /// <exception cref="ArgumentException">No sample, ragged features, a count mismatch or a non-finite value.</exception>
    void Fit(IReadOnlyList<double[]> features, IReadOnlyList<double> targets);

    /// <summary>The prediction for one encoding.</summary>
    /// <exception cref="InvalidOperationException">The predictor has not been fitted.</exception>
    /// <exception cref="ArgumentException">The encoding's length differs from the training features'.</exception>
    Prediction Predict(ReadOnlySpan<double> features);
}
