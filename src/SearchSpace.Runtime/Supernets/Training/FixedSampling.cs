namespace SearchSpaceDsl.Supernets.Training;

/// <summary>
/// Trains one given architecture every step (a standalone-training baseline on the shared weights, or fine-tuning
/// one sub-network). Only the weights inside that architecture's active slices receive gradients.
/// </summary>
/// <typeparam name="TArch">The generated architecture type.</typeparam>
public sealed class FixedSampling<TArch> : ISamplingStrategy<TArch> where TArch : class, IArchitecture<TArch>
{
    private readonly IReadOnlyList<TArch> _architectures;

    /// <summary>Creates the strategy.</summary>
    /// <param name="architecture">The architecture every step trains; it must be valid in <c>TArch.Space</c>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="architecture"/> is null.</exception>
    /// <exception cref="ArgumentException">The architecture is not valid in its space; the message names the dimension.</exception>
    public FixedSampling(TArch architecture)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        TArch.Space.EnsureValid(architecture, nameof(architecture));
        Architecture = architecture;
        _architectures = Array.AsReadOnly([architecture]);
    }

    /// <summary>The architecture every step trains.</summary>
    public TArch Architecture { get; }

    /// <summary><c>[Architecture]</c>; draws nothing from <paramref name="random"/>.</summary>
    /// <inheritdoc />
    public IReadOnlyList<TArch> ArchitecturesFor(int step, Random random)
    {
        SamplingArguments.Check(step, random);
        return _architectures;
    }

    /// <inheritdoc />
    public override string ToString() => $"fixed ({Architecture})";
}
