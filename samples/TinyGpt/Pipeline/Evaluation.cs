using SearchSpaceDsl.Data;
using SearchSpaceDsl.Search;
using SearchSpaceDsl.Supernets.Training;
using static TorchSharp.torch;

namespace TinyGpt.Pipeline;

/// <summary>
/// The one way every model of a run is measured, so dense, NAS and pruned models compare: perplexity on the first
/// <see cref="PipelineOptions.ValidationBatches"/> validation batches, latency of the extracted model on one fixed batch.
/// </summary>
public sealed class Evaluation : IDisposable
{
    private readonly PipelineOptions _options;

    /// <summary>Loads the corpus and cuts the fixed latency batch from the start of its validation split.</summary>
    public Evaluation(PipelineOptions options)
    {
        _options = options;
        RunFolder.RequireReadable(options.DataPath, "pass --data with a UTF-8 text file");
        Corpus = TextCorpus.Load(options.DataPath);
        if (Corpus.Vocabulary.Size > TinyGptModel.Vocab)
            throw new PipelineException($"'{options.DataPath}' has {Corpus.Vocabulary.Size} distinct characters; the model's vocabulary holds {TinyGptModel.Vocab}.");
        var needed = options.LatencyBatch * options.Context + 1;
        if (Corpus.Validation.Length < needed || Corpus.Train.Length <= options.Context)
            throw new PipelineException($"'{options.DataPath}' is too short: its splits must be longer than {needed} characters.");
        LatencyInput = tensor(Corpus.Validation.AsSpan(0, options.LatencyBatch * options.Context).ToArray().Select(t => (long)t).ToArray(),
            [options.LatencyBatch, options.Context], int64);
    }

    /// <summary>The tokenized corpus (90/10 split).</summary>
    public TextCorpus Corpus { get; }

    /// <summary>The fixed input of every latency measurement.</summary>
    public Tensor LatencyInput { get; }

    /// <summary>The validation batches behind every perplexity.</summary>
    public IEnumerable<(Tensor Inputs, Tensor Targets)> ValidationBatches() =>
        TokenBatches.Sequential(Corpus.Validation, _options.BatchSize, _options.Context, _options.ValidationBatches);

    /// <summary>Validation loss and perplexity of <paramref name="architecture"/> in <paramref name="model"/>.</summary>
    public SupernetEvaluation Quality(TinyGptModel model, TinyGptArchitecture architecture) =>
        SupernetEvaluator.Evaluate<TinyGptModel, TinyGptArchitecture>(model, architecture, ValidationBatches());

    /// <summary>The perplexity objective over <paramref name="model"/>'s sub-networks.</summary>
    public Objective<TinyGptArchitecture> PerplexityObjective(TinyGptModel model) =>
        SupernetObjectives.Perplexity<TinyGptModel, TinyGptArchitecture>(model, Corpus.Validation, _options.BatchSize, _options.Context, _options.ValidationBatches);

    /// <summary>The parameter-count objective (the generated cost model).</summary>
    public static Objective<TinyGptArchitecture> ParametersObjective() =>
        Objective<TinyGptArchitecture>.Minimize("parameters", a => TinyGptModel.CountParameters(a));

    /// <summary>The latency objective: the extracted model on <see cref="LatencyInput"/>, warm-up then median.</summary>
    public Objective<TinyGptArchitecture> LatencyObjective(TinyGptModel model) =>
        SupernetObjectives.Latency<TinyGptModel, TinyGptArchitecture>(model, LatencyInput, _options.LatencyWarmup, _options.LatencyRepeats);

    /// <summary>The median latency in ms of <paramref name="architecture"/> extracted from <paramref name="model"/>.</summary>
    public double LatencyMs(TinyGptModel model, TinyGptArchitecture architecture) => LatencyObjective(model).Measure(architecture).Value;

    /// <summary>Disposes the latency batch.</summary>
    public void Dispose() => LatencyInput.Dispose();
}
