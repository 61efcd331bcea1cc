namespace SearchSpaceDsl.Supernets.Training;

/// <summary>The validation quality of one sub-network.</summary>
/// <param name="Loss">The mean next-token cross-entropy over every target token (nats per token).</param>
/// <param name="Tokens">The number of target tokens evaluated.</param>
public sealed record SupernetEvaluation(double Loss, long Tokens)
{
    /// <summary>The perplexity, <c>exp(Loss)</c>.</summary>
    public double Perplexity => Math.Exp(Loss);
}
