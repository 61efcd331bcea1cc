using System.Diagnostics;
using SearchSpaceDsl.Supernets.Training;
using TorchSharp;

namespace TinyGpt.Pipeline;

/// <summary>What dense training produced.</summary>
/// <param name="Card">The saved model's card (architecture, loss, perplexity).</param>
/// <param name="Seconds">Wall time of the step.</param>
public sealed record DenseResult(ModelCard Card, double Seconds);

/// <summary>
/// Step a: trains the dense "pretrained model", the largest architecture of the space, on the training split and saves
/// it as <c>dense.safetensors</c>. A <see cref="TinyGptModel"/> at its capacity computes exactly the dense function,
/// so training it with <see cref="FixedSampling{TArch}"/> of the largest member is ordinary dense training.
/// </summary>
public static class DenseTraining
{
    /// <summary>Runs the step (or, with <see cref="PipelineOptions.Resume"/> and a saved model, reads its card).</summary>
    public static DenseResult Run(PipelineOptions options, Evaluation evaluation, RunFolder run, IPipelineLog log)
    {
        if (options.Resume && File.Exists(run.DenseModel) && File.Exists(ModelCard.PathFor(run.DenseModel)))
        {
            var saved = ModelCard.Load(run.DenseModel);
            log.Line($"Dense model: reusing {run.DenseModel} (perplexity {saved.Perplexity:F3}).");
            return new DenseResult(saved, 0);
        }
        var watch = Stopwatch.StartNew();
        var largest = TinyGptArchitecture.Space.Largest;
        torch.manual_seed(options.Seed);
        using var model = new TinyGptModel();
        var trainingOptions = new SupernetTrainingOptions
        {
            Steps = options.DenseSteps,
            BatchSize = options.BatchSize,
            Context = options.Context,
            LearningRate = options.DenseLearningRate,
            GradientClipNorm = 1.0,
            Seed = options.Seed,
        };
        using var trainer = new SupernetTrainer<TinyGptModel, TinyGptArchitecture>(model, trainingOptions, new FixedSampling<TinyGptArchitecture>(largest));
        log.Progress($"Training the dense model ({TinyGptModel.CountParameters(largest):N0} parameters)", options.DenseSteps, report =>
            trainer.Train(evaluation.Corpus.Train, new StepProgress(report)));
        var quality = evaluation.Quality(model, largest);
        var card = new ModelCard("dense", largest.ToString(), TinyGptModel.CountParameters(largest), evaluation.Corpus.Vocabulary.Characters,
            quality.Loss, quality.Perplexity, null, $"dense training, {options.DenseSteps} steps");
        ModelFiles.Save(model, run.DenseModel, card);
        log.Line($"Pretrained model: validation loss {quality.Loss:F4}, perplexity {quality.Perplexity:F3} ({watch.Elapsed.TotalSeconds:F0} s).");
        return new DenseResult(card, watch.Elapsed.TotalSeconds);
    }
}
