namespace SearchSpaceDsl.Supernets.Gradient;

/// <summary>How a temperature falls from its start to its end over a search.</summary>
public enum TemperatureDecay
{
    /// <summary><c>τ(t) = τ_max + t · (τ_min − τ_max)</c>.</summary>
    Linear,

    /// <summary><c>τ(t) = τ_max · (τ_min / τ_max)^t</c>, a constant factor per step.</summary>
    Exponential,
}

/// <summary>
/// The Gumbel-softmax temperature of GDAS over a search, from <see cref="Max"/> at its start to <see cref="Min"/> at
/// its end (GDAS: 10 → 0.1, linear). Progress <c>t</c> runs from 0 (first step) to 1 (last step).
/// </summary>
public sealed record TemperatureSchedule
{
    /// <summary>A schedule from <paramref name="max"/> down to <paramref name="min"/>.</summary>
    /// <exception cref="ArgumentException">A temperature is not a positive finite number, or <paramref name="min"/> exceeds <paramref name="max"/>.</exception>
    public TemperatureSchedule(double max, double min, TemperatureDecay decay = TemperatureDecay.Linear)
    {
        CheckTemperature(max, nameof(max));
        CheckTemperature(min, nameof(min));
        if (min > max)
            throw new ArgumentException($"The final temperature {min} exceeds the initial temperature {max}; a schedule falls from max to min.", nameof(min));
        if (!Enum.IsDefined(decay))
            throw new ArgumentOutOfRangeException(nameof(decay), decay, "Unknown temperature decay.");
        Max = max;
        Min = min;
        Decay = decay;
    }

    /// <summary>The temperature at the start.</summary>
    public double Max { get; }

    /// <summary>The temperature at the end.</summary>
    public double Min { get; }

    /// <summary>The shape of the decay.</summary>
    public TemperatureDecay Decay { get; }

    /// <summary>A schedule that stays at <paramref name="temperature"/>.</summary>
    /// <exception cref="ArgumentException">The temperature is not a positive finite number.</exception>
    public static TemperatureSchedule Constant(double temperature) => new(temperature, temperature);

    /// <summary>The temperature at progress <paramref name="progress"/> (clamped to [0, 1]).</summary>
    public double At(double progress)
    {
        double t = double.IsNaN(progress) ? 0 : Math.Clamp(progress, 0, 1);
        return Decay == TemperatureDecay.Linear ? Max + t * (Min - Max) : Max * Math.Pow(Min / Max, t);
    }

    /// <summary>Throws an <see cref="ArgumentException"/> unless <paramref name="temperature"/> is positive and finite.</summary>
    internal static void CheckTemperature(double temperature, string parameterName)
    {
        if (!(temperature > 0) || double.IsInfinity(temperature))
            throw new ArgumentException(
                $"A Gumbel-softmax temperature must be a positive finite number, got {temperature}: the softmax of (logits + noise) / τ is undefined at τ = 0.",
                parameterName);
    }
}
