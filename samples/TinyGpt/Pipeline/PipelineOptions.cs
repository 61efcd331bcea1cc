namespace TinyGpt.Pipeline;

/// <summary>
/// Every setting of the compression pipeline. The defaults are the embedded default run: sized to finish in about
/// about 6 minutes on 2 idle CPU cores (measured: ≈0.1 s per dense step, ≈0.23 s per sandwich step of 3 members at batch 16 × 64, ≈0.25 s per trial).
/// </summary>
public sealed record PipelineOptions
{
    /// <summary>The character corpus (UTF-8 text); the last 10 % is the validation split.</summary>
    public string DataPath { get; init; } = DefaultDataPath;

    /// <summary>The run folder every artefact is written to.</summary>
    public string Output { get; init; } = DefaultOutput();

    /// <summary>Seeds weights, batches, sampling and the optimizer.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>Intra-op threads of libtorch.</summary>
    public int Threads { get; init; } = 2;

    /// <summary>Optimizer steps of dense training.</summary>
    public int DenseSteps { get; init; } = 1500;

    /// <summary>Learning rate of dense training.</summary>
    public double DenseLearningRate { get; init; } = 2e-3;

    /// <summary>Optimizer steps of supernet fine-tuning (each trains largest, smallest and <see cref="SandwichRandom"/> random sub-networks).</summary>
    public int FineTuneSteps { get; init; } = 400;

    /// <summary>Learning rate of supernet fine-tuning.</summary>
    public double FineTuneLearningRate { get; init; } = 3e-4;

    /// <summary>Random sub-networks per sandwich step.</summary>
    public int SandwichRandom { get; init; } = 1;

    /// <summary>In-place distillation from the largest sub-network during fine-tuning.</summary>
    public bool Distillation { get; init; } = true;

    /// <summary>Sequences per training batch.</summary>
    public int BatchSize { get; init; } = 16;

    /// <summary>Characters per sequence (at most <see cref="TinyGptModel.Context"/>).</summary>
    public int Context { get; init; } = TinyGptModel.Context;

    /// <summary>Validation batches (from the start of the validation split) behind every perplexity the pipeline reports.</summary>
    public int ValidationBatches { get; init; } = 8;

    /// <summary>Trials the study should hold when the search ends.</summary>
    public int Trials { get; init; } = 250;

    /// <summary>The optimizer's name (<see cref="OptimizerFactory.Names"/>).</summary>
    public string Optimizer { get; init; } = "nsga2";

    /// <summary>Population of the evolutionary optimizers.</summary>
    public int Population { get; init; } = 20;

    /// <summary>Sequences of the fixed latency batch.</summary>
    public int LatencyBatch { get; init; } = 8;

    /// <summary>Untimed forwards before a latency measurement.</summary>
    public int LatencyWarmup { get; init; } = 2;

    /// <summary>Timed forwards of a latency measurement (the median is reported).</summary>
    public int LatencyRepeats { get; init; } = 7;

    /// <summary>The largest relative perplexity increase of the headline point (0.02 = 2 %).</summary>
    public double PerplexityTolerance { get; init; } = 0.02;

    /// <summary>Continue a run: keep finished steps' artefacts and resume the study.</summary>
    public bool Resume { get; init; }

    /// <summary>The corpus shipped beside the program.</summary>
    public static string DefaultDataPath => Path.Combine(AppContext.BaseDirectory, "data", "moby-dick.txt");

    /// <summary>A fresh run folder under <c>runs/</c> of the working directory, named by the local time.</summary>
    public static string DefaultOutput() =>
        Path.Combine("runs", "tinygpt-" + DateTime.Now.ToString("yyyyMMdd-HHmmss", System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        static void Positive(int value, string name)
        {
            if (value < 1)
                throw new ArgumentException($"{name} must be at least 1, got {value}.");
        }
        Positive(Threads, "--threads");
        Positive(DenseSteps, "--dense-steps");
        Positive(FineTuneSteps, "--finetune-steps");
        Positive(BatchSize, "--batch-size");
        Positive(ValidationBatches, "--validation-batches");
        Positive(Trials, "--trials");
        Positive(Population, "--population");
        Positive(LatencyBatch, "--latency-batch");
        Positive(LatencyRepeats, "--latency-repeats");
        if (Context < 2 || Context > TinyGptModel.Context)
            throw new ArgumentException($"--context must be between 2 and {TinyGptModel.Context}, got {Context}.");
        if (SandwichRandom < 0 || LatencyWarmup < 0)
            throw new ArgumentException("--sandwich-random and --latency-warmup must not be negative.");
        if (!(PerplexityTolerance >= 0))
            throw new ArgumentException($"The perplexity tolerance must not be negative, got {PerplexityTolerance}.");
        OptimizerFactory.EnsureKnown(Optimizer);
    }
}
