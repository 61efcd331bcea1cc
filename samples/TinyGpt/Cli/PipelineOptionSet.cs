using System.CommandLine;
using TinyGpt.Pipeline;

namespace TinyGpt.Cli;

/// <summary>The command-line options of the pipeline's settings; each command gets its own instances of the ones it uses.</summary>
internal sealed class PipelineOptionSet
{
    private static readonly PipelineOptions Defaults = new();
    private readonly List<Func<ParseResult, PipelineOptions, PipelineOptions>> _binders = [];
    private readonly List<Option> _options = [];

    public IReadOnlyList<Option> Options => _options;

    public PipelineOptionSet Out() => Add("--out", "The run folder every artefact is written to (default: runs/tinygpt-<time>).", (string?)null,
        (o, v) => v is null ? o : o with { Output = v }, "-o");

    public PipelineOptionSet RunFolder() => Add("--out", "The run folder to read from and write to.", (string?)null,
        (o, v) => o with { Output = v ?? throw new PipelineException("--out is required: the run folder of an earlier 'train'.") }, "-o");

    public PipelineOptionSet Seed() => Add("--seed", "Seeds weights, batches, sampling and the optimizer.", Defaults.Seed, (o, v) => o with { Seed = v });

    public PipelineOptionSet Data() => Add("--data", "The UTF-8 text corpus (last 10 % is validation).", Defaults.DataPath, (o, v) => o with { DataPath = v });

    public PipelineOptionSet Threads() => Add("--threads", "libtorch threads.", Defaults.Threads, (o, v) => o with { Threads = v });

    public PipelineOptionSet Resume() => Add("--resume", "Continue the run in --out: reuse finished steps, resume the study.", false, (o, v) => o with { Resume = v });

    public PipelineOptionSet Batches() => Add("--batch-size", "Sequences per batch.", Defaults.BatchSize, (o, v) => o with { BatchSize = v })
        .Add("--validation-batches", "Validation batches behind every perplexity.", Defaults.ValidationBatches, (o, v) => o with { ValidationBatches = v });

    public PipelineOptionSet Dense() => Add("--dense-steps", "Budget: dense training steps.", Defaults.DenseSteps, (o, v) => o with { DenseSteps = v })
        .Add("--dense-lr", "Dense training learning rate.", Defaults.DenseLearningRate, (o, v) => o with { DenseLearningRate = v });

    public PipelineOptionSet FineTune() => Add("--finetune-steps", "Budget: supernet fine-tuning (sandwich) steps.", Defaults.FineTuneSteps, (o, v) => o with { FineTuneSteps = v })
        .Add("--finetune-lr", "Fine-tuning learning rate.", Defaults.FineTuneLearningRate, (o, v) => o with { FineTuneLearningRate = v })
        .Add("--sandwich-random", "Random sub-networks per sandwich step.", Defaults.SandwichRandom, (o, v) => o with { SandwichRandom = v })
        .Add("--no-distillation", "Fine-tune without in-place distillation.", false, (o, v) => o with { Distillation = !v });

    public PipelineOptionSet Search() => Add("--trials", "Budget: trials of the search.", Defaults.Trials, (o, v) => o with { Trials = v })
        .Add("--optimizer", $"Search optimizer: {string.Join(", ", OptimizerFactory.Names)}.", Defaults.Optimizer, (o, v) => o with { Optimizer = v })
        .Add("--population", "Population of the evolutionary optimizers.", Defaults.Population, (o, v) => o with { Population = v });

    public PipelineOptionSet Latency() => Add("--latency-batch", "Sequences of the fixed latency batch.", Defaults.LatencyBatch, (o, v) => o with { LatencyBatch = v })
        .Add("--latency-warmup", "Untimed forwards before timing.", Defaults.LatencyWarmup, (o, v) => o with { LatencyWarmup = v })
        .Add("--latency-repeats", "Timed forwards (median reported).", Defaults.LatencyRepeats, (o, v) => o with { LatencyRepeats = v });

    public PipelineOptionSet Tolerance() => Add("--tolerance", "Headline: largest perplexity increase (0.02 = 2 %).", Defaults.PerplexityTolerance, (o, v) => o with { PerplexityTolerance = v });

    public void AddTo(Command command)
    {
        foreach (var option in _options)
            command.Add(option);
    }

    public PipelineOptions Bind(ParseResult result) => _binders.Aggregate(new PipelineOptions(), (options, bind) => bind(result, options));

    private PipelineOptionSet Add<T>(string name, string description, T defaultValue, Func<PipelineOptions, T, PipelineOptions> bind, params string[] aliases)
    {
        var option = new Option<T>(name, aliases) { Description = description, DefaultValueFactory = _ => defaultValue };
        _options.Add(option);
        _binders.Add((result, options) => bind(options, result.GetValue(option)!));
        return this;
    }
}
