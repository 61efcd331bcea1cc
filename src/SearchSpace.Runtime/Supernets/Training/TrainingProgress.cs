namespace SearchSpaceDsl.Supernets.Training;

/// <summary>What <see cref="SupernetTrainer{TModel, TArch}"/> reports after each training step.</summary>
/// <param name="Step">The number of steps done in this run, from 1 to <paramref name="Steps"/>.</param>
/// <param name="Steps">The number of steps of this run.</param>
/// <param name="Loss">The mean of the step's per-architecture losses.</param>
/// <param name="Losses">The loss of each architecture of the step, in the strategy's order.</param>
public sealed record TrainingProgress(int Step, int Steps, double Loss, IReadOnlyList<double> Losses);
