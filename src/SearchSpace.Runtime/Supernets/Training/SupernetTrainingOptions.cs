namespace SearchSpaceDsl.Supernets.Training;

/// <summary>
/// The settings of <see cref="SupernetTrainer{TModel, TArch}"/>. Every property is checked when it is set (also in a
/// <c>with</c> expression), so an options instance is always valid; the message names the property and the value.
/// </summary>
public sealed record SupernetTrainingOptions
{
    private readonly double _learningRate = 1e-3;
    private readonly double _weightDecay;
    private readonly double? _gradientClipNorm;
    private readonly int _steps = 1000;
    private readonly int _batchSize = 16;
    private readonly int _context = 64;
    private readonly double _distillationTemperature = 1.0;

    /// <summary>The AdamW learning rate (constant; no schedule), positive and finite. Default 1e-3.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive and finite.</exception>
    public double LearningRate
    {
        get => _learningRate;
        init => _learningRate = double.IsFinite(value) && value > 0
            ? value
            : throw new ArgumentOutOfRangeException(nameof(LearningRate), value, $"The learning rate must be positive and finite, got {value}.");
    }

    /// <summary>
    /// The decoupled AdamW weight decay, applied to every parameter (embeddings and norms included), at least 0 and
    /// finite. Default 0.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative or not finite.</exception>
    public double WeightDecay
    {
        get => _weightDecay;
        init => _weightDecay = double.IsFinite(value) && value >= 0
            ? value
            : throw new ArgumentOutOfRangeException(nameof(WeightDecay), value, $"The weight decay must be 0 or more and finite, got {value}.");
    }

    /// <summary>
    /// When set, the 2-norm of the gradient accumulated over all architectures of a step is clipped to this value
    /// (over all parameters together) before the optimizer step; positive and finite. Default null (no clipping).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive and finite.</exception>
    public double? GradientClipNorm
    {
        get => _gradientClipNorm;
        init => _gradientClipNorm = value is not { } norm || (double.IsFinite(norm) && norm > 0)
            ? value
            : throw new ArgumentOutOfRangeException(nameof(GradientClipNorm), value, $"The gradient clip norm must be positive and finite (or null for no clipping), got {value}.");
    }

    /// <summary>The number of optimizer steps <see cref="SupernetTrainer{TModel, TArch}.Train(Func{ValueTuple{TorchSharp.torch.Tensor, TorchSharp.torch.Tensor}}, IProgress{TrainingProgress}?)"/> runs, at least 1. Default 1000.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is below 1.</exception>
    public int Steps
    {
        get => _steps;
        init => _steps = value >= 1
            ? value
            : throw new ArgumentOutOfRangeException(nameof(Steps), value, $"The number of training steps must be at least 1, got {value}.");
    }

    /// <summary>The number of windows per batch when the trainer cuts batches from tokens itself, at least 1. Default 16.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is below 1.</exception>
    public int BatchSize
    {
        get => _batchSize;
        init => _batchSize = value >= 1
            ? value
            : throw new ArgumentOutOfRangeException(nameof(BatchSize), value, $"The batch size must be at least 1, got {value}.");
    }

    /// <summary>The window length (tokens) when the trainer cuts batches from tokens itself, at least 1. Default 64.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is below 1.</exception>
    public int Context
    {
        get => _context;
        init => _context = value >= 1
            ? value
            : throw new ArgumentOutOfRangeException(nameof(Context), value, $"The context length must be at least 1, got {value}.");
    }

    /// <summary>
    /// In-place distillation from the largest architecture (the supernet's <see cref="ISupernet{TArch}.Capacity"/>):
    /// when on, every architecture of a step other than the largest is trained on the distillation loss
    /// (<see cref="SupernetLosses.Distillation"/>) towards the largest's logits of the same step and batch instead
    /// of the cross-entropy; the largest keeps the cross-entropy. Default off.
    /// </summary>
    public bool Distillation { get; init; }

    /// <summary>The softmax temperature of the distillation loss, positive and finite. Default 1.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive and finite.</exception>
    public double DistillationTemperature
    {
        get => _distillationTemperature;
        init => _distillationTemperature = double.IsFinite(value) && value > 0
            ? value
            : throw new ArgumentOutOfRangeException(nameof(DistillationTemperature), value, $"The distillation temperature must be positive and finite, got {value}.");
    }

    /// <summary>
    /// The seed of the trainer's random sources: the architectures the strategy samples and the batch offsets when the
    /// trainer cuts batches itself. Default 0. (Weight initialisation is the model's.)
    /// </summary>
    public int Seed { get; init; }
}
