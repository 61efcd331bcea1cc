namespace SearchSpaceDsl.Supernets.Gradient;

/// <summary>The settings of a MODNAS search (<see cref="ModnasSearch{TModel, TArch}"/>).</summary>
public sealed record ModnasOptions
{
    /// <summary>How the hypernetwork's logits become option weights (DARTS by default).</summary>
    public MixingMode Mode { get; init; } = MixingMode.Darts();

    /// <summary>The number of steps of <see cref="ModnasSearch{TModel, TArch}.Run"/>.</summary>
    public int Steps { get; init; } = 300;

    /// <summary>Steps at the start that train only the weights.</summary>
    public int WarmupSteps { get; init; }

    /// <summary>The AdamW learning rate of the supernet weights.</summary>
    public double WeightLearningRate { get; init; } = 1e-2;

    /// <summary>The AdamW weight decay of the supernet weights.</summary>
    public double WeightDecay { get; init; }

    /// <summary>The Adam learning rate of the hypernetwork.</summary>
    public double HypernetworkLearningRate { get; init; } = 1e-2;

    /// <summary>The hypernetwork's hidden width.</summary>
    public int HiddenUnits { get; init; } = 32;

    /// <summary>What the weights step trains (by default architectures sampled from the current preference's weights).</summary>
    public WeightStepMixture WeightStep { get; init; } = WeightStepMixture.SampledArchitecture;

    /// <summary>Clips the weights' gradient norm; 0 or less turns clipping off.</summary>
    public double GradientClipNorm { get; init; } = 5;

    /// <summary>The hardware feature vector appended to every preference (null: none).</summary>
    public IReadOnlyList<double>? HardwareFeatures { get; init; }

    /// <summary>Seeds the hypernetwork, the preference draws and the sampling.</summary>
    public int Seed { get; init; }

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Mode, nameof(Mode));
        if (Steps < 1)
            throw new ArgumentOutOfRangeException(nameof(Steps), Steps, "A search needs at least one step.");
        if (WarmupSteps < 0 || WarmupSteps >= Steps)
            throw new ArgumentOutOfRangeException(nameof(WarmupSteps), WarmupSteps, $"Warm-up steps must be in [0, Steps = {Steps}).");
        GradientSearchOptions.Positive(WeightLearningRate, nameof(WeightLearningRate));
        GradientSearchOptions.Positive(HypernetworkLearningRate, nameof(HypernetworkLearningRate));
        GradientSearchOptions.NonNegative(WeightDecay, nameof(WeightDecay));
        if (HiddenUnits < 1)
            throw new ArgumentOutOfRangeException(nameof(HiddenUnits), HiddenUnits, "The hypernetwork needs at least one hidden unit.");
        if (HardwareFeatures is not null && HardwareFeatures.Any(f => !double.IsFinite(f)))
            throw new ArgumentException("Hardware features must be finite numbers.", nameof(HardwareFeatures));
    }
}
