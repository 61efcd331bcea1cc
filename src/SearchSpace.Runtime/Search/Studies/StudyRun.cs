using System.Diagnostics;
using SearchSpaceDsl.Search.Optimizers;

namespace SearchSpaceDsl.Search;

public sealed partial class Study<TArch>
{
    // One call of OptimizeAsync: the replay of stored trials, the window of trials in flight, and the counters.
    private sealed class StudyRun(
        Study<TArch> study, IOptimizer<TArch> optimizer, int budget, int workers, IProgress<Trial<TArch>>? progress, CancellationToken cancellationToken)
    {
        private const int DuplicateLimit = 1000;

        private readonly Queue<StoredTrial> _replay = new();
        private readonly Dictionary<TArch, StoredTrial> _told = [];
        private readonly Queue<(TArch Architecture, Task<StoredTrial> Outcome)> _inFlight = new();
        private readonly HashSet<TArch> _inFlightArchitectures = [];
        private readonly HashSet<int> _evaluatedNumbers = [];
        private int _assigned;
        private int _nextNumber;
        private int _evaluated;
        private int _replayed;
        private int _failed;
        private int _duplicates;
        private bool _warmStarted;

        public async Task<StudyRunSummary> RunAsync()
        {
            var start = Stopwatch.GetTimestamp();
            var stored = study.StoredTrials();
            _nextNumber = stored.Count == 0 ? 0 : stored[^1].Number + 1;
            if (stored.Count > 0 && stored[0].Optimizer == optimizer.Description)
            {
                foreach (var trial in stored)
                    _replay.Enqueue(trial);
            }
            else
            {
                WarmStart(stored);
            }

            var stop = StudyStopReason.BudgetReached;
            try
            {
                while (true)
                {
                    while (stop == StudyStopReason.BudgetReached && _assigned < budget && _inFlight.Count < Window)
                    {
                        if (cancellationToken.IsCancellationRequested)
                        {
                            stop = StudyStopReason.Cancelled;
                            break;
                        }
                        if (AskDistinct() is not { } architecture)
                        {
                            stop = StudyStopReason.Exhausted;
                            break;
                        }
                        Enqueue(architecture);
                    }
                    if (_inFlight.Count == 0)
                        break;
                    await TellOldest().ConfigureAwait(false);
                }
            }
            finally
            {
                // On an exception, let the evaluations in flight finish: each stores its own outcome.
                foreach (var (_, outcome) in _inFlight)
                {
                    try
                    {
                        await outcome.ConfigureAwait(false);
                    }
                    catch (Exception)
                    {
                        // The first exception is the one that propagates.
                    }
                }
            }
            return new StudyRunSummary(_evaluated, _replayed, _failed, _duplicates, _warmStarted, stop, Stopwatch.GetElapsedTime(start));
        }

        // While replaying, the window each stored trial was asked with; then this call's workers.
        private int Window => _replay.TryPeek(out var next) ? next.Window : workers;

        private TArch? AskDistinct()
        {
            for (var attempt = 0; attempt < DuplicateLimit; attempt++)
            {
                var architecture = optimizer.Ask() ?? throw new InvalidOperationException($"The optimizer {optimizer.Description} proposed null.");
                if (_told.TryGetValue(architecture, out var known))
                {
                    // Told its stored outcome again, as a benchmark's cache answers: aging evolution keeps a good
                    // member alive by proposing it again.
                    _duplicates++;
                    Tell(architecture, known);
                }
                else if (_inFlightArchitectures.Contains(architecture))
                {
                    _duplicates++;
                }
                else
                {
                    return architecture;
                }
            }
            return null;
        }

        private void Enqueue(TArch architecture)
        {
            if (_replay.TryPeek(out var stored))
            {
                if (stored.Optimizer == optimizer.Description && study.ParseArchitecture(stored).Equals(architecture))
                {
                    _replay.Dequeue();
                    _assigned++;
                    if (stored.IsFinished)
                    {
                        _replayed++;
                        Add(architecture, Task.FromResult(stored));
                    }
                    else
                    {
                        Add(architecture, Start(architecture, stored with { StartedUtc = DateTimeOffset.UtcNow }));
                    }
                    return;
                }
                // The optimizer proposes something else than the stored run did: tell it the rest instead.
                WarmStart([.. _replay]);
                _replay.Clear();
                if (_told.TryGetValue(architecture, out var known))
                {
                    _duplicates++;
                    Tell(architecture, known);
                    return;
                }
            }
            var window = Window;
            _assigned++;
            var running = new StoredTrial(
                _nextNumber++, architecture.ToString()!, TrialStatus.Running, null, new Dictionary<string, double>(), null, DateTimeOffset.UtcNow, null, window, optimizer.Description);
            Add(architecture, Start(architecture, running));
        }

        private void Add(TArch architecture, Task<StoredTrial> outcome)
        {
            _inFlight.Enqueue((architecture, outcome));
            _inFlightArchitectures.Add(architecture);
        }

        private Task<StoredTrial> Start(TArch architecture, StoredTrial running)
        {
            study.Save(running);
            _evaluated++;
            _evaluatedNumbers.Add(running.Number);
            StoredTrial Run()
            {
                var outcome = study.Evaluate(architecture, running);
                study.Save(outcome);
                return outcome;
            }
            // One worker evaluates on the caller's thread: no pool hop per trial, and thread-bound objectives work.
            return workers == 1 && running.Window == 1 ? Task.FromResult(Run()) : Task.Run(Run, CancellationToken.None);
        }

        private async Task TellOldest()
        {
            var (architecture, task) = _inFlight.Peek();
            var outcome = await task.ConfigureAwait(false);
            _inFlight.Dequeue();
            _inFlightArchitectures.Remove(architecture);
            Tell(architecture, outcome);
            if (outcome.Status == TrialStatus.Failed && _evaluatedNumbers.Contains(outcome.Number))
                _failed++;
            progress?.Report(ToTrial(outcome, architecture));
        }

        private void Tell(TArch architecture, StoredTrial outcome)
        {
            _told[architecture] = outcome;
            if (outcome.Status == TrialStatus.Completed)
                optimizer.Tell(architecture, study.ToMinimization(outcome.Values!));
            else
                optimizer.TellFailure(architecture);
        }

        // Stored trials the optimizer did not ask: finished ones are told, unfinished ones (no data) are dropped.
        private void WarmStart(IReadOnlyList<StoredTrial> trials)
        {
            foreach (var trial in trials)
            {
                if (trial.IsFinished)
                {
                    var architecture = study.ParseArchitecture(trial);
                    if (_told.ContainsKey(architecture))
                        continue;
                    _warmStarted = true;
                    _assigned++;
                    Tell(architecture, trial);
                }
                else
                {
                    study.Delete(trial.Number);
                }
            }
        }
    }
}
