using System.Diagnostics;
using SearchSpaceDsl;
using SearchSpaceDsl.Search;

namespace TinyGpt.Pipeline;

/// <summary>The outcome of the search step.</summary>
/// <param name="Trials">Completed trials in the study.</param>
/// <param name="Front">Size of the Pareto front.</param>
/// <param name="Summary">What this run of the study did.</param>
public sealed record SearchResult(int Trials, int Front, StudyRunSummary Summary);

/// <summary>
/// Step c: searches the fine-tuned supernet over validation perplexity, parameters and measured latency of the
/// extracted model, with any optimizer, in a SQLite study (<c>study.db</c>). With <see cref="PipelineOptions.Resume"/>
/// the stored trials are replayed (same optimizer and seed: exactly where it stopped); without it an existing study is
/// an error rather than silently mixed in.
/// </summary>
public static class ArchitectureSearch
{
    /// <summary>The objectives of a run's study, in order: perplexity, parameters, latency (ms).</summary>
    public static Objective<TinyGptArchitecture>[] Objectives(TinyGptModel supernet, Evaluation evaluation) =>
        [evaluation.PerplexityObjective(supernet), Evaluation.ParametersObjective(), evaluation.LatencyObjective(supernet)];

    /// <summary>Objectives with the study's names and directions that refuse to measure: for reading a finished study.</summary>
    public static Objective<TinyGptArchitecture>[] ReadOnlyObjectives() =>
    [
        Objective<TinyGptArchitecture>.Minimize("perplexity", _ => throw new InvalidOperationException("The report does not evaluate.")),
        Objective<TinyGptArchitecture>.Minimize("parameters", _ => throw new InvalidOperationException("The report does not evaluate.")),
        Objective<TinyGptArchitecture>.Minimize("latency_ms", _ => throw new InvalidOperationException("The report does not evaluate.")),
    ];

    /// <summary>Opens a run's study for reading.</summary>
    public static Study<TinyGptArchitecture> OpenForReading(RunFolder run)
    {
        RunFolder.RequireReadable(run.Study, "run 'search' first");
        return Study<TinyGptArchitecture>.Open(run.Study, ReadOnlyObjectives());
    }

    /// <summary>Runs the search and exports every trial as JSON and CSV.</summary>
    public static SearchResult Run(PipelineOptions options, Evaluation evaluation, RunFolder run, IPipelineLog log)
    {
        if (!options.Resume && File.Exists(run.Study))
            throw new PipelineException($"the study '{run.Study}' already exists; pass --resume to continue it or choose another --out.");
        var watch = Stopwatch.StartNew();
        using var supernet = SupernetFineTuning.Load(run);
        supernet.eval();
        using var study = Study<TinyGptArchitecture>.Open(run.Study, Objectives(supernet, evaluation));
        var optimizer = OptimizerFactory.Create(options.Optimizer, TinyGptArchitecture.Space, options.Seed, options.Population);
        var already = study.Trials.Count;
        var summary = log.Progress($"Searching with {options.Optimizer} ({options.Trials} trials)", options.Trials, report =>
        {
            report(Math.Min(already, options.Trials), null);
            var progress = new TrialProgress(t => report(t.Number + 1, t.Values is { } v ? $"#{t.Number} ppl {v[0]:F2}, {v[1]:N0} params, {v[2]:F1} ms" : $"#{t.Number} {t.Status}"));
            return study.Optimize(optimizer, options.Trials, workers: 1, progress);
        });
        study.ExportJson(run.TrialsJson);
        study.ExportCsv(run.TrialsCsv);
        var result = new SearchResult(study.CompletedTrials.Count, study.ParetoFront().Count, summary);
        log.Line($"Search: {summary.Evaluated} evaluated, {summary.Replayed} replayed, {summary.Failed} failed; {result.Trials} trials, {result.Front} on the front ({watch.Elapsed.TotalSeconds:F0} s).");
        return result;
    }

    private sealed class TrialProgress(Action<Trial<TinyGptArchitecture>> report) : IProgress<Trial<TinyGptArchitecture>>
    {
        public void Report(Trial<TinyGptArchitecture> value) => report(value);
    }
}
