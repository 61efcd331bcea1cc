using SearchSpaceDsl.Search.Optimizers;

namespace SearchSpaceDsl.Search;

public sealed partial class Study<TArch>
{
    /// <summary>
    /// Asks <paramref name="optimizer"/> for architectures and evaluates them until the study holds
    /// <paramref name="trials"/> trials, with up to <paramref name="workers"/> evaluations in parallel.
    /// </summary>
    /// <param name="optimizer">A fresh optimizer (nothing told yet).</param>
    /// <param name="trials">The number of trials the study should hold when this returns (not the number to add).</param>
    /// <param name="workers">Evaluations in flight at once; the objectives must be thread-safe above 1.</param>
    /// <param name="progress">Receives each trial when the optimizer is told its outcome, in trial order.</param>
    /// <param name="cancellationToken">Stops asking; trials in flight are finished and stored before the call returns.</param>
    /// <returns>What this call did and why it stopped.</returns>
    /// <remarks>
    /// <para>
    /// <b>Reproducible in parallel.</b> Up to <paramref name="workers"/> trials are in flight; outcomes are told in
    /// trial order, and the next trial is asked only after the oldest in flight is told. The sequence of asks and tells
    /// therefore depends only on the optimizer's seed and the number of workers, never on which evaluation happens to
    /// finish first.
    /// </para>
    /// <para>
    /// <b>Resume.</b> Each trial is stored when it starts and again, durably, when it finishes. When the study already
    /// holds trials asked by an optimizer with the same <see cref="IOptimizer{TArch}.Description"/>, the run is
    /// replayed: the optimizer is asked again in the same order, finished trials are told from the store without
    /// evaluation, and trials a killed process left running are evaluated. A study killed at any point thus ends
    /// with the same trials as an uninterrupted run. Otherwise (another optimizer or seed, or an optimizer that
    /// proposes something else than what the store holds) every finished trial left is told to the optimizer first, a
    /// warm start, and trials that never finished are dropped.
    /// </para>
    /// <para>
    /// <b>Failures and duplicates.</b> An objective that throws or returns a non-finite value fails the trial: the
    /// error is stored, the optimizer is told the failure, and the search goes on. A proposal already evaluated is not
    /// evaluated again: the optimizer is told the stored outcome once more (as a benchmark's cache answers), and no
    /// trial is added; a proposal in flight is skipped. After 1,000 such proposals in a row the call stops as
    /// <see cref="StudyStopReason.Exhausted"/>.
    /// </para>
    /// </remarks>
    /// <exception cref="InvalidOperationException">The study is already being optimized.</exception>
    public async Task<StudyRunSummary> OptimizeAsync(
        IOptimizer<TArch> optimizer, int trials, int workers = 1, IProgress<Trial<TArch>>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentOutOfRangeException.ThrowIfNegative(trials);
        ArgumentOutOfRangeException.ThrowIfLessThan(workers, 1);
        if (Interlocked.Exchange(ref _optimizing, 1) == 1)
            throw new InvalidOperationException($"The study '{Location}' is already being optimized; run one optimization at a time.");
        try
        {
            return await new StudyRun(this, optimizer, trials, workers, progress, cancellationToken).RunAsync().ConfigureAwait(false);
        }
        finally
        {
            Volatile.Write(ref _optimizing, 0);
        }
    }

    /// <summary>Runs <see cref="OptimizeAsync"/> and waits for it.</summary>
    /// <inheritdoc cref="OptimizeAsync" path="/param"/>
    public StudyRunSummary Optimize(
        IOptimizer<TArch> optimizer, int trials, int workers = 1, IProgress<Trial<TArch>>? progress = null, CancellationToken cancellationToken = default) =>
        OptimizeAsync(optimizer, trials, workers, progress, cancellationToken).GetAwaiter().GetResult();

    private IReadOnlyList<StoredTrial> StoredTrials()
    {
        lock (_gate)
            return [.. _trials.Values];
    }

    private void Save(StoredTrial trial)
    {
        lock (_gate)
        {
            _store.Save(trial);
            _trials[trial.Number] = trial;
        }
    }

    private void Delete(int number)
    {
        lock (_gate)
        {
            _store.Delete(number);
            _trials.Remove(number);
        }
    }

    // Measures every objective in order; the first that throws or is not finite fails the trial.
    private StoredTrial Evaluate(TArch architecture, StoredTrial running)
    {
        var values = new double[Objectives.Count];
        var details = new Dictionary<string, double>();
        string? error = null;
        for (var i = 0; i < Objectives.Count && error is null; i++)
        {
            var objective = Objectives[i];
            try
            {
                var measurement = objective.Measure(architecture);
                if (!double.IsFinite(measurement.Value))
                {
                    error = $"Objective '{objective.Name}' returned {measurement.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)}.";
                    break;
                }
                values[i] = measurement.Value;
                foreach (var (key, value) in measurement.Details ?? new Dictionary<string, double>())
                {
                    if (double.IsFinite(value))
                        details[key] = value;
                }
            }
            catch (Exception e)
            {
                error = $"Objective '{objective.Name}' threw {e.GetType().Name}: {e.Message}";
            }
        }
        return running with
        {
            Status = error is null ? TrialStatus.Completed : TrialStatus.Failed,
            Values = error is null ? values : null,
            Details = details,
            Error = error,
            FinishedUtc = DateTimeOffset.UtcNow,
        };
    }
}
