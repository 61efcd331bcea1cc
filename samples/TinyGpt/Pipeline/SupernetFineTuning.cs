using System.Diagnostics;
using System.Text.Json;
using SearchSpaceDsl.Supernets;
using SearchSpaceDsl.Supernets.Training;
using TorchSharp;

namespace TinyGpt.Pipeline;

/// <summary>Perplexities of the supernet's extremes before and after fine-tuning (written to <c>finetune.json</c>).</summary>
/// <param name="LargestBefore">The largest member after loading and sorting (equals the dense model).</param>
/// <param name="SmallestBefore">The smallest member after loading and sorting, before any fine-tuning.</param>
/// <param name="LargestAfter">The largest member after fine-tuning.</param>
/// <param name="SmallestAfter">The smallest member after fine-tuning.</param>
/// <param name="Steps">Fine-tuning steps.</param>
/// <param name="Seconds">Wall time of the step.</param>
public sealed record SupernetResult(double LargestBefore, double SmallestBefore, double LargestAfter, double SmallestAfter, int Steps, double Seconds)
{
    /// <summary>The file beside the supernet that holds this record.</summary>
    public static string PathIn(RunFolder run) => Path.Combine(run.Root, "finetune.json");
}

/// <summary>
/// Step b: loads the dense model into a fresh supernet (<see cref="SupernetLoading.LoadDense{TArch}(ISupernet{TArch}, string)"/>),
/// importance-sorts heads and MLP neurons so prefixes keep the strongest units (<see cref="ImportanceSorting"/>), and
/// fine-tunes it with the sandwich rule (largest, smallest and random members every step) and in-place distillation.
/// </summary>
public static class SupernetFineTuning
{
    /// <summary>Runs the step (or, with <see cref="PipelineOptions.Resume"/> and a saved supernet, reads its numbers).</summary>
    public static SupernetResult Run(PipelineOptions options, Evaluation evaluation, RunFolder run, IPipelineLog log)
    {
        var resultPath = SupernetResult.PathIn(run);
        if (options.Resume && File.Exists(run.Supernet) && File.Exists(resultPath))
        {
            var saved = JsonSerializer.Deserialize<SupernetResult>(File.ReadAllText(resultPath))
                ?? throw new PipelineException($"cannot read '{resultPath}': empty");
            log.Line($"Supernet: reusing {run.Supernet}.");
            return saved;
        }
        RunFolder.RequireReadable(run.DenseModel, "run 'train' first");
        var watch = Stopwatch.StartNew();
        var space = TinyGptArchitecture.Space;
        torch.manual_seed(options.Seed + 1);
        using var supernet = new TinyGptModel();
        SupernetLoading.LoadDense(supernet, run.DenseModel);
        var sorted = ImportanceSorting.Sort(supernet);
        log.Line($"Supernet: loaded the dense model, importance-sorted {sorted.Count} layers.");
        var largestBefore = evaluation.Quality(supernet, space.Largest).Perplexity;
        var smallestBefore = evaluation.Quality(supernet, space.Smallest).Perplexity;
        var trainingOptions = new SupernetTrainingOptions
        {
            Steps = options.FineTuneSteps,
            BatchSize = options.BatchSize,
            Context = options.Context,
            LearningRate = options.FineTuneLearningRate,
            GradientClipNorm = 1.0,
            Distillation = options.Distillation,
            Seed = options.Seed + 2,
        };
        using (var trainer = new SupernetTrainer<TinyGptModel, TinyGptArchitecture>(supernet, trainingOptions, new SandwichSampling<TinyGptArchitecture>(options.SandwichRandom)))
        {
            log.Progress($"Fine-tuning the supernet (sandwich, {2 + options.SandwichRandom} members per step)", options.FineTuneSteps, report =>
                trainer.Train(evaluation.Corpus.Train, new StepProgress(report)));
        }
        var largestAfter = evaluation.Quality(supernet, space.Largest).Perplexity;
        var smallestAfter = evaluation.Quality(supernet, space.Smallest).Perplexity;
        supernet.Activate(space.Largest);
        ModelFiles.Save(supernet, run.Supernet, new ModelCard("supernet", space.Largest.ToString(), TinyGptModel.CountParameters(space.Largest),
            evaluation.Corpus.Vocabulary.Characters, null, largestAfter, null, $"dense model, importance-sorted, sandwich fine-tuning {options.FineTuneSteps} steps"));
        var result = new SupernetResult(largestBefore, smallestBefore, largestAfter, smallestAfter, options.FineTuneSteps, watch.Elapsed.TotalSeconds);
        File.WriteAllText(resultPath, JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true }));
        log.Line($"Fine-tuned supernet: largest member perplexity {largestAfter:F3} (was {largestBefore:F3}), smallest {smallestAfter:F3} (was {smallestBefore:F3}) ({result.Seconds:F0} s).");
        return result;
    }

    /// <summary>Loads the fine-tuned supernet of a run.</summary>
    public static TinyGptModel Load(RunFolder run)
    {
        RunFolder.RequireReadable(run.Supernet, "run 'supernet-train' first");
        var (model, _) = ModelFiles.Load(run.Supernet);
        return model;
    }
}

/// <summary>Forwards trainer progress synchronously (System.Progress would post to the thread pool).</summary>
internal sealed class StepProgress(Action<int, string?> report) : IProgress<TrainingProgress>
{
    public void Report(TrainingProgress value) => report(value.Step, $"loss {value.Loss:F3}");
}
