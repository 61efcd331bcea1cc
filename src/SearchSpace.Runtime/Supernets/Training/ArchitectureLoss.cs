namespace SearchSpaceDsl.Supernets.Training;

/// <summary>The loss one architecture contributed to a training step.</summary>
/// <typeparam name="TArch">The generated architecture type.</typeparam>
/// <param name="Architecture">The architecture.</param>
/// <param name="Loss">The value of the loss whose gradient was accumulated.</param>
/// <param name="Distilled">
/// True when the loss is the distillation loss towards the largest architecture's logits
/// (<see cref="SupernetLosses.Distillation"/>), false when it is the cross-entropy to the targets.
/// </param>
public sealed record ArchitectureLoss<TArch>(TArch Architecture, double Loss, bool Distilled)
    where TArch : class, IArchitecture<TArch>;
