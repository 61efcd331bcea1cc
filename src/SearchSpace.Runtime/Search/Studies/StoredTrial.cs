namespace SearchSpaceDsl.Search;

/// <summary>One trial as a <see cref="ITrialStore"/> keeps it: the architecture as its canonical text.</summary>
/// <param name="Number">The trial's number: its position in the order trials were asked.</param>
/// <param name="Architecture">The architecture's canonical text (<c>ToString()</c>, parsed back with <c>Parse</c>).</param>
/// <param name="Status">Where the trial stands.</param>
/// <param name="Values">One value per objective, in the objectives' own units and order; null unless completed.</param>
/// <param name="Details">Further numbers the objectives reported (such as a latency's spread); empty when none.</param>
/// <param name="Error">Why the trial failed; null unless failed.</param>
/// <param name="StartedUtc">When the evaluation started.</param>
/// <param name="FinishedUtc">When it finished; null while running.</param>
/// <param name="Window">How many trials could be in flight when this one was asked (needed to replay the run exactly).</param>
/// <param name="Optimizer">The <see cref="Optimizers.IOptimizer{TArch}.Description"/> of the optimizer that asked it.</param>
public sealed record StoredTrial(
    int Number,
    string Architecture,
    TrialStatus Status,
    IReadOnlyList<double>? Values,
    IReadOnlyDictionary<string, double> Details,
    string? Error,
    DateTimeOffset StartedUtc,
    DateTimeOffset? FinishedUtc,
    int Window,
    string Optimizer)
{
    /// <summary>Whether the trial has an outcome (completed or failed).</summary>
    public bool IsFinished => Status != TrialStatus.Running;
}
