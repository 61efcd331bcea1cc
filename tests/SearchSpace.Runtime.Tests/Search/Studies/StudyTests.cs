using SearchSpaceDsl.Search;
using SearchSpaceDsl.Search.Optimizers;
using SearchSpaceDsl.TestProblems;
using SearchSpaceDsl.Tests.Native;
using SearchSpaceDsl.Tests.Spaces;

namespace SearchSpaceDsl.Tests.Search.Studies;

public sealed class StudyTests
{
    private static Objective<Zdt1>[] Zdt1Objectives(Func<Zdt1, double>? slow = null) =>
    [
        Objective<Zdt1>.Minimize("f1", a => slow?.Invoke(a) ?? Zdt1.Evaluate(a)[0]),
        Objective<Zdt1>.Minimize("f2", a => Zdt1.Evaluate(a)[1]),
    ];

    private static string Key(Trial<Zdt1> t) => $"{t.Number}|{t.Architecture}|{t.Status}|{string.Join(",", t.Values ?? [])}";

    [Fact]
    public void A_study_file_keeps_every_trial_and_a_rerun_replays_them_without_evaluating()
    {
        using var scratch = new ScratchDirectory();
        var path = Path.Combine(scratch.Path, "study.db");
        IReadOnlyList<Trial<Zdt1>> first;
        using (var study = Study<Zdt1>.Open(path, Zdt1Objectives()))
        {
            var summary = study.Optimize(new Nsga2<Zdt1>(Zdt1.Space, seed: 4, populationSize: 6), trials: 20);
            Assert.Equal((20, 0, StudyStopReason.BudgetReached), (summary.Evaluated, summary.Replayed, summary.StopReason));
            first = study.Trials;
        }

        var evaluations = 0;
        using var reopened = Study<Zdt1>.Open(path, Zdt1Objectives(a => { Interlocked.Increment(ref evaluations); return Zdt1.Evaluate(a)[0]; }));
        Assert.Equal(first.Select(Key), reopened.Trials.Select(Key));
        Assert.All(reopened.Trials, t =>
        {
            Assert.Equal(TrialStatus.Completed, t.Status);
            Assert.Equal(Zdt1.Evaluate(t.Architecture), t.Values);
            Assert.True(t.Duration >= TimeSpan.Zero);
        });
        Assert.Equal(Enumerable.Range(0, 20), reopened.Trials.Select(t => t.Number));

        var again = reopened.Optimize(new Nsga2<Zdt1>(Zdt1.Space, seed: 4, populationSize: 6), trials: 26);
        Assert.Equal((6, 20, false), (again.Evaluated, again.Replayed, again.WarmStarted));
        Assert.Equal(6, evaluations);
    }

    [Fact]
    public async Task Parallel_runs_are_reproducible_whatever_order_evaluations_finish_in()
    {
        var jitter = new Random();
        IReadOnlyList<string> Run()
        {
            using var study = Study<Zdt1>.InMemory(Zdt1Objectives(a =>
            {
                int ms;
                lock (jitter)
                    ms = jitter.Next(0, 6);
                Thread.Sleep(ms);
                return Zdt1.Evaluate(a)[0];
            }));
            study.Optimize(new Nsga2<Zdt1>(Zdt1.Space, seed: 9, populationSize: 8), trials: 40, workers: 4);
            return [.. study.Trials.Select(Key)];
        }
        var runs = await Task.WhenAll(Task.Run(Run), Task.Run(Run));
        Assert.Equal(40, runs[0].Count);
        Assert.Equal(runs[0], runs[1]);
    }

    [Fact]
    public void A_cancelled_run_resumes_to_the_same_trials_as_an_uninterrupted_one()
    {
        using var scratch = new ScratchDirectory();
        var path = Path.Combine(scratch.Path, "study.db");
        IReadOnlyList<string> reference;
        using (var uninterrupted = Study<Zdt1>.InMemory(Zdt1Objectives()))
        {
            uninterrupted.Optimize(new MoRegularizedEvolution<Zdt1>(Zdt1.Space, seed: 2, populationSize: 10, sampleSize: 3), trials: 30, workers: 3);
            reference = [.. uninterrupted.Trials.Select(Key)];
        }

        using (var study = Study<Zdt1>.Open(path, Zdt1Objectives()))
        {
            using var cancel = new CancellationTokenSource();
            var summary = study.Optimize(
                new MoRegularizedEvolution<Zdt1>(Zdt1.Space, seed: 2, populationSize: 10, sampleSize: 3), trials: 30, workers: 3,
                new SynchronousProgress<Trial<Zdt1>>(t => { if (t.Number == 12) cancel.Cancel(); }), cancel.Token);
            Assert.Equal(StudyStopReason.Cancelled, summary.StopReason);
            Assert.InRange(study.Trials.Count, 13, 15);
        }
        using var resumed = Study<Zdt1>.Open(path, Zdt1Objectives());
        var rest = resumed.Optimize(new MoRegularizedEvolution<Zdt1>(Zdt1.Space, seed: 2, populationSize: 10, sampleSize: 3), trials: 30, workers: 3);
        Assert.False(rest.WarmStarted);
        Assert.Equal(30, rest.Evaluated + rest.Replayed);
        Assert.Equal(reference, resumed.Trials.Select(Key));
    }

    [Fact]
    public void Failed_evaluations_are_recorded_with_their_error_and_the_search_goes_on()
    {
        using var study = Study<Zdt1>.InMemory(
            Objective<Zdt1>.Minimize("f1", a => a.X1 == 3 ? throw new InvalidOperationException("sensor offline") : Zdt1.Evaluate(a)[0]),
            Objective<Zdt1>.Minimize("f2", a => a.X1 == 4 ? double.NaN : a.X1 == 5 ? double.PositiveInfinity : Zdt1.Evaluate(a)[1]));
        var summary = study.Optimize(new RandomSearch<Zdt1>(Zdt1.Space, seed: 1), trials: 120);

        Assert.Equal(120, study.Trials.Count);
        var failed = study.Trials.Where(t => t.Status == TrialStatus.Failed).ToList();
        Assert.Equal(summary.Failed, failed.Count);
        Assert.NotEmpty(failed);
        Assert.All(failed, t =>
        {
            Assert.Null(t.Values);
            var expected = t.Architecture.X1 switch
            {
                3 => "Objective 'f1' threw InvalidOperationException: sensor offline",
                4 => "Objective 'f2' returned NaN.",
                _ => "Objective 'f2' returned Infinity.",
            };
            Assert.Equal(expected, t.Error);
        });
        Assert.All(study.Trials.Where(t => t.Architecture.X1 is not (3 or 4 or 5)), t => Assert.Equal(TrialStatus.Completed, t.Status));
        Assert.DoesNotContain(study.ParetoFront(), t => t.Status != TrialStatus.Completed);
    }

    [Fact]
    public void Proposals_already_evaluated_are_skipped_and_a_used_up_space_stops_the_run()
    {
        var evaluations = 0;
        using var study = Study<ConstrainedSpace>.InMemory(Objective<ConstrainedSpace>.Minimize("width", a => { evaluations++; return a.Width; }));
        var summary = study.Optimize(new RandomSearch<ConstrainedSpace>(ConstrainedSpace.Space, seed: 3), trials: 100);
        Assert.Equal(StudyStopReason.Exhausted, summary.StopReason);
        Assert.Equal(36, evaluations);
        Assert.Equal(36, study.Trials.Select(t => t.Architecture).Distinct().Count());
        Assert.True(summary.Duplicates >= 1000);
    }

    [Fact]
    public void Another_optimizer_is_warm_started_with_the_stored_trials()
    {
        using var study = Study<Zdt1>.InMemory(Zdt1Objectives());
        study.Optimize(new RandomSearch<Zdt1>(Zdt1.Space, seed: 1), trials: 10);
        var summary = study.Optimize(new Nsga2<Zdt1>(Zdt1.Space, seed: 1, populationSize: 5), trials: 25);
        Assert.True(summary.WarmStarted);
        Assert.Equal((15, 0), (summary.Evaluated, summary.Replayed));
        Assert.Equal(Enumerable.Range(0, 25), study.Trials.Select(t => t.Number));
    }

    [Fact]
    public void Objectives_that_differ_from_the_stored_study_are_refused_and_the_file_is_unchanged()
    {
        using var scratch = new ScratchDirectory();
        var path = Path.Combine(scratch.Path, "study.db");
        using (var study = Study<Zdt1>.Open(path, Zdt1Objectives()))
            study.Optimize(new RandomSearch<Zdt1>(Zdt1.Space), trials: 3);
        var before = File.ReadAllBytes(path);

        var error = Assert.Throws<StudyException>(() => Study<Zdt1>.Open(path,
            Objective<Zdt1>.Minimize("f1", a => 0), Objective<Zdt1>.Maximize("f2", a => 0)));
        Assert.Contains("was created with the objectives [f1 (min), f2 (min)]; it was opened with [f1 (min), f2 (max)]", error.Message);
        Assert.Equal(before, File.ReadAllBytes(path));
        using var reopened = Study<Zdt1>.Open(path, Zdt1Objectives());
        Assert.Equal(3, reopened.Trials.Count);
    }

    [Fact]
    public void A_study_of_another_space_is_refused()
    {
        using var scratch = new ScratchDirectory();
        var path = Path.Combine(scratch.Path, "study.db");
        Study<Zdt1>.Open(path, Zdt1Objectives()).Dispose();
        var error = Assert.Throws<StudyException>(() => Study<Dtlz2>.Open(path, Objective<Dtlz2>.Minimize("f1", a => 0), Objective<Dtlz2>.Minimize("f2", a => 0)));
        Assert.Contains("was created for another search space", error.Message);
        Assert.Contains("Zdt1", error.Message);
    }

    [Fact]
    public void Objectives_need_distinct_well_formed_names()
    {
        Assert.Contains("must be non-empty", Assert.Throws<ArgumentException>(() => Objective<Zdt1>.Minimize("f 1", a => 0)).Message);
        Assert.Contains("Two objectives are named 'f'", Assert.Throws<ArgumentException>(() =>
            Study<Zdt1>.InMemory(Objective<Zdt1>.Minimize("f", a => 0), Objective<Zdt1>.Maximize("f", a => 0))).Message);
        Assert.Contains("at least one objective", Assert.Throws<ArgumentException>(() => Study<Zdt1>.InMemory()).Message);
    }

    [Fact]
    public void Maximized_objectives_are_negated_for_the_optimizer_only()
    {
        using var study = Study<Zdt1>.InMemory(
            Objective<Zdt1>.Maximize("closeness", a => -Zdt1.Evaluate(a)[0]),
            Objective<Zdt1>.Minimize("f2", a => Zdt1.Evaluate(a)[1]));
        study.Optimize(new Nsga2<Zdt1>(Zdt1.Space, seed: 5, populationSize: 10), trials: 60);
        Assert.All(study.Trials, t => Assert.Equal(-Zdt1.Evaluate(t.Architecture)[0], t.Values![0]));
        var front = study.ParetoFront();
        var points = study.CompletedTrials.Select(t => Zdt1.Evaluate(t.Architecture)).ToArray();
        var expected = SearchSpaceDsl.Search.Pareto.ParetoFront.Indices(points).Select(i => study.CompletedTrials[i].Number);
        Assert.Equal(expected, front.Select(t => t.Number));
    }
}
