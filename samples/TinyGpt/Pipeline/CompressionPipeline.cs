using System.Diagnostics;
using TorchSharp;

namespace TinyGpt.Pipeline;

/// <summary>The whole main job: train, fine-tune the supernet, search, prune and report, into one run folder.</summary>
public static class CompressionPipeline
{
    /// <summary>Runs every step; returns the report's summary. With <see cref="PipelineOptions.Resume"/> finished steps are reused.</summary>
    public static ReportSummary Run(PipelineOptions options, IPipelineLog log)
    {
        var run = Prepare(options, requireFresh: !options.Resume);
        var watch = Stopwatch.StartNew();
        log.Line($"Run folder: {run.FullPath}");
        using var evaluation = new Evaluation(options);
        DenseTraining.Run(options, evaluation, run, log);
        SupernetFineTuning.Run(options, evaluation, run, log);
        ArchitectureSearch.Run(options, evaluation, run, log);
        var summary = Report.Run(options, evaluation, run, log);
        log.Line($"Done in {watch.Elapsed.TotalMinutes:F1} min. Everything is in {run.FullPath}");
        return summary;
    }

    /// <summary>Validates the options, sets libtorch's threads and creates the run folder.</summary>
    /// <param name="options">The settings.</param>
    /// <param name="requireFresh">Refuse a folder that already holds a run (the whole pipeline without --resume).</param>
    public static RunFolder Prepare(PipelineOptions options, bool requireFresh = false)
    {
        try
        {
            options.Validate();
        }
        catch (ArgumentException e)
        {
            throw new PipelineException(e.Message, e);
        }
        torch.set_num_threads(options.Threads);
        var run = new RunFolder(options.Output);
        if (requireFresh && File.Exists(run.DenseModel))
            throw new PipelineException($"'{run.FullPath}' already holds a run; pass --resume to continue it or choose another --out.");
        return run.Create();
    }
}
