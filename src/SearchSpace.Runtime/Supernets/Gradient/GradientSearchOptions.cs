namespace SearchSpaceDsl.Supernets.Gradient;

/// <summary>The settings of a bi-level gradient-based search (<see cref="GradientSearch{TModel, TArch}"/>).</summary>
public sealed record GradientSearchOptions
{
    /// <summary>DARTS (default), GDAS or DrNAS.</summary>
    public MixingMode Mode { get; init; } = MixingMode.Darts();

    /// <summary>The number of steps of <see cref="GradientSearch{TModel, TArch}.Run"/> (also the span of GDAS's temperature schedule).</summary>
    public int Steps { get; init; } = 300;

    /// <summary>Steps at the start that train only the weights (the architecture parameters wait for trained weights).</summary>
    public int WarmupSteps { get; init; }

    /// <summary>The AdamW learning rate of the supernet weights.</summary>
    public double WeightLearningRate { get; init; } = 1e-3;

    /// <summary>The AdamW weight decay of the supernet weights.</summary>
    public double WeightDecay { get; init; }

    /// <summary>The Adam learning rate of the architecture parameters.</summary>
    public double ArchitectureLearningRate { get; init; } = 3e-3;

    /// <summary>The Adam weight decay of the architecture parameters.</summary>
    public double ArchitectureWeightDecay { get; init; }

    /// <summary>The standard deviation of the initial logits (0: uniform weights).</summary>
    public double InitialLogitStd { get; init; } = 1e-3;

    /// <summary>Clips the weights' gradient norm before each weights step; 0 or less turns clipping off.</summary>
    public double GradientClipNorm { get; init; } = 5;

    /// <summary>What the weights step trains: the mode's mixture (default) or architectures sampled from it.</summary>
    public WeightStepMixture WeightStep { get; init; } = WeightStepMixture.Mixture;

    /// <summary>The hardware-aware term of the architecture loss, or null.</summary>
    public HardwareTerm? Hardware { get; init; }

    /// <summary>Seeds the initial logits and the sampling of GDAS and DrNAS.</summary>
    public int Seed { get; init; }

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Mode, nameof(Mode));
        if (Steps < 1)
            throw new ArgumentOutOfRangeException(nameof(Steps), Steps, "A search needs at least one step.");
        if (WarmupSteps < 0 || WarmupSteps >= Steps)
            throw new ArgumentOutOfRangeException(nameof(WarmupSteps), WarmupSteps, $"Warm-up steps must be in [0, Steps = {Steps}).");
        Positive(WeightLearningRate, nameof(WeightLearningRate));
        Positive(ArchitectureLearningRate, nameof(ArchitectureLearningRate));
        NonNegative(WeightDecay, nameof(WeightDecay));
        NonNegative(ArchitectureWeightDecay, nameof(ArchitectureWeightDecay));
        NonNegative(InitialLogitStd, nameof(InitialLogitStd));
        if (!Enum.IsDefined(WeightStep))
            throw new ArgumentOutOfRangeException(nameof(WeightStep), WeightStep, "Unknown weights-step mixture.");
        if (double.IsNaN(GradientClipNorm))
            throw new ArgumentOutOfRangeException(nameof(GradientClipNorm), GradientClipNorm, "The clip norm must be a number.");
    }

    internal static void Positive(double value, string name)
    {
        if (!(value > 0) || double.IsInfinity(value))
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be a positive finite number.");
    }

    internal static void NonNegative(double value, string name)
    {
        if (!(value >= 0) || double.IsInfinity(value))
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be a non-negative finite number.");
    }
}
