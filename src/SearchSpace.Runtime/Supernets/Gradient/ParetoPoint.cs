namespace SearchSpaceDsl.Supernets.Gradient;

/// <summary>One architecture of a MODNAS preference sweep.</summary>
/// <typeparam name="TArch">The generated architecture type.</typeparam>
/// <param name="Preference">The (normalised) preference vector that derived it (the first that did, for repeats).</param>
/// <param name="Architecture">The derived architecture.</param>
/// <param name="Objectives">Its evaluated objectives, all minimised.</param>
public sealed record ParetoPoint<TArch>(double[] Preference, TArch Architecture, double[] Objectives)
    where TArch : class, IArchitecture<TArch>;
