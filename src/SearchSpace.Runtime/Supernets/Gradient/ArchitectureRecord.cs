namespace SearchSpaceDsl.Supernets.Gradient;

/// <summary>One step of a gradient-based search, as recorded in an <see cref="ArchitectureHistory"/>.</summary>
/// <param name="Step">The step (0-based).</param>
/// <param name="Temperature">The Gumbel-softmax temperature (NaN for modes without one).</param>
/// <param name="TrainLoss">The loss of the weights step.</param>
/// <param name="ValidLoss">The task loss of the architecture step (NaN during warm-up).</param>
/// <param name="Cost">The expected hardware cost of the architecture step (NaN without a hardware term or during warm-up).</param>
/// <param name="Probabilities">The mean option weights after the step, in one-hot encoding order.</param>
public sealed record ArchitectureRecord(int Step, double Temperature, double TrainLoss, double ValidLoss, double Cost, double[] Probabilities);
