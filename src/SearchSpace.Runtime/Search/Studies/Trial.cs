namespace SearchSpaceDsl.Search;

/// <summary>One evaluation of a study: an architecture, its objective values and how the evaluation went.</summary>
/// <typeparam name="TArch">The architecture type.</typeparam>
/// <param name="Number">The trial's number: its position in the order trials were asked.</param>
/// <param name="Architecture">The evaluated architecture.</param>
/// <param name="Status">Where the trial stands.</param>
/// <param name="Values">One value per objective of the study, in the objectives' own units and order; null unless completed.</param>
/// <param name="Details">Further numbers the objectives reported (such as a latency's spread).</param>
/// <param name="Error">Why the trial failed; null unless failed.</param>
/// <param name="StartedUtc">When the evaluation started.</param>
/// <param name="FinishedUtc">When it finished; null while running.</param>
public sealed record Trial<TArch>(
    int Number,
    TArch Architecture,
    TrialStatus Status,
    IReadOnlyList<double>? Values,
    IReadOnlyDictionary<string, double> Details,
    string? Error,
    DateTimeOffset StartedUtc,
    DateTimeOffset? FinishedUtc)
{
    /// <summary>How long the evaluation took; null while running.</summary>
    public TimeSpan? Duration => FinishedUtc - StartedUtc;
}
