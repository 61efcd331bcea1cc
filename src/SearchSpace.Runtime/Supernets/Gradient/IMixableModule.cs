namespace SearchSpaceDsl.Supernets.Gradient;

/// <summary>
/// An entangled layer that can compute under an architecture mixture (TangleNAS): instead of one active slice it runs
/// at its max sizes with weights masked by <see cref="SizeDistribution"/>s, so one forward equals the weighted sum of
/// the zero-padded slices of every option. Each layer type has its own <c>SetMixture</c> (one distribution per size
/// it has); <c>SetActive</c> ends a mixture, as does <see cref="ClearMixture"/>.
/// </summary>
public interface IMixableModule
{
    /// <summary>Whether a mixture is set: the forward runs at the max sizes with masked weights.</summary>
    bool IsMixed { get; }

    /// <summary>Ends the mixture: the forward computes the active slice again (the active sizes are the max sizes).</summary>
    void ClearMixture();
}
