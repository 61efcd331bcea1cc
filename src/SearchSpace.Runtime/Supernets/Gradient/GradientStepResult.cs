namespace SearchSpaceDsl.Supernets.Gradient;

/// <summary>What one step of a gradient-based search did.</summary>
/// <param name="Step">The step (0-based).</param>
/// <param name="TrainLoss">The loss of the weights step.</param>
/// <param name="ValidLoss">The task loss of the architecture step; NaN during warm-up.</param>
/// <param name="Cost">The expected hardware cost of the architecture step; NaN without a hardware term or during warm-up.</param>
public sealed record GradientStepResult(int Step, double TrainLoss, double ValidLoss, double Cost);
