namespace SearchSpaceDsl.Search;

/// <summary>What one call of <see cref="Study{TArch}.OptimizeAsync"/> did.</summary>
/// <param name="Evaluated">Trials evaluated by this call (including trials a killed run left unfinished).</param>
/// <param name="Replayed">Finished trials read back from the store instead of being evaluated again.</param>
/// <param name="Failed">Trials of this call that failed.</param>
/// <param name="Duplicates">Proposals of an architecture already evaluated (told its stored outcome again, not evaluated) or in flight (skipped).</param>
/// <param name="WarmStarted">Whether stored trials were told to an optimizer that did not ask them (another optimizer or seed than the stored run's).</param>
/// <param name="StopReason">Why the call returned.</param>
/// <param name="Elapsed">The call's wall time.</param>
public sealed record StudyRunSummary(int Evaluated, int Replayed, int Failed, int Duplicates, bool WarmStarted, StudyStopReason StopReason, TimeSpan Elapsed);
