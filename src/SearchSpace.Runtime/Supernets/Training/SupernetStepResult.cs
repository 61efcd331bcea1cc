namespace SearchSpaceDsl.Supernets.Training;

/// <summary>The outcome of one training step of <see cref="SupernetTrainer{TModel, TArch}"/>.</summary>
/// <typeparam name="TArch">The generated architecture type.</typeparam>
/// <param name="Loss">The mean of the per-architecture losses.</param>
/// <param name="Losses">The loss of each architecture the strategy chose, in the strategy's order.</param>
public sealed record SupernetStepResult<TArch>(double Loss, IReadOnlyList<ArchitectureLoss<TArch>> Losses)
    where TArch : class, IArchitecture<TArch>;
