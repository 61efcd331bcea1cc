using System.CommandLine;
using TinyGpt.Pipeline;

namespace TinyGpt.Cli;

/// <summary><c>extract</c>: saves the model of one architecture (or one trial) from a run's fine-tuned supernet.</summary>
internal static class ExtractCommand
{
    public static Command Create(IPipelineLog log)
    {
        var options = new PipelineOptionSet().RunFolder().Data().Threads().Batches().Latency();
        var architecture = new Option<string?>("--arch") { Description = "The architecture's text, e.g. \"EmbedDim=96, Layers=3, Heads=[4, 4, 2], MlpRatio=[4, 3, 2], Bias=true\"." };
        var trial = new Option<int?>("--trial") { Description = "A trial number of the run's study (instead of --arch)." };
        var name = new Option<string?>("--name") { Description = "The model's file name under models/ (default: trial-N or custom)." };
        var command = new Command("extract", "Extract the dense model of one architecture from the run's supernet into models/<name>.safetensors (with a JSON card).");
        options.AddTo(command);
        command.Add(architecture);
        command.Add(trial);
        command.Add(name);
        command.SetAction(result =>
        {
            var settings = options.Bind(result);
            var run = CompressionPipeline.Prepare(settings);
            var text = result.GetValue(architecture);
            var number = result.GetValue(trial);
            if ((text is null) == (number is null))
                throw new PipelineException("give exactly one of --arch and --trial.");
            TinyGptArchitecture chosen;
            if (number is { } n)
            {
                using var study = ArchitectureSearch.OpenForReading(run);
                chosen = study.Trials.FirstOrDefault(t => t.Number == n)?.Architecture
                    ?? throw new PipelineException($"the study '{run.Study}' has no trial {n}.");
            }
            else
            {
                try
                {
                    chosen = TinyGptArchitecture.Parse(text!);
                }
                catch (FormatException e)
                {
                    throw new PipelineException($"bad --arch: {e.Message.Split('\n')[0]}", e);
                }
            }
            using var evaluation = new Evaluation(settings);
            using var supernet = SupernetFineTuning.Load(run);
            var quality = evaluation.Quality(supernet, chosen);
            var latency = evaluation.LatencyMs(supernet, chosen);
            using var model = supernet.Extract(chosen);
            var file = run.Model(result.GetValue(name) ?? (number is { } k ? $"trial-{k}" : "custom"));
            ModelFiles.Save(model, file, new ModelCard(Path.GetFileNameWithoutExtension(file), chosen.ToString(), TinyGptModel.CountParameters(chosen),
                evaluation.Corpus.Vocabulary.Characters, quality.Loss, quality.Perplexity, latency, "extracted from the fine-tuned supernet"));
            log.Line($"Saved {Path.GetFullPath(file)}: {TinyGptModel.CountParameters(chosen):N0} parameters, perplexity {quality.Perplexity:F3}, {latency:F2} ms.");
            return 0;
        });
        return command;
    }
}
