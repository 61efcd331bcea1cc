namespace SearchSpaceDsl.Supernets.Gradient;

/// <summary>What the supernet computes in the weights step of a gradient-based search.</summary>
public enum WeightStepMixture
{
    /// <summary>
    /// The mode's mixture, as DARTS, GDAS and DrNAS train their weights (GDAS's is one-hot anyway). Under a soft mixture
    /// the weights can absorb the architecture weights' scaling (a width mask of 0.3 is undone by weights 3× larger),
    /// which lets the cost term shrink the argmax while the mixed model still fits: the discretisation gap of DARTS.
    /// </summary>
    Mixture,

    /// <summary>
    /// One architecture sampled from the mode's mean weights (one-hot per position), so the weights are trained for
    /// discrete sub-networks, as in single-path one-shot training, while the architecture step still uses the mode's
    /// relaxation. This closes the discretisation gap: the relaxation is judged on weights that cannot compensate it.
    /// </summary>
    SampledArchitecture,
}
