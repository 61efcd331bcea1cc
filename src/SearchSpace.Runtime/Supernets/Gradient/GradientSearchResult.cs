namespace SearchSpaceDsl.Supernets.Gradient;

/// <summary>The outcome of a gradient-based search.</summary>
/// <typeparam name="TArch">The generated architecture type.</typeparam>
/// <param name="Architecture">The derived (argmax) architecture; extract it with <c>supernet.Extract(Architecture)</c>.</param>
/// <param name="History">The option weights at every step.</param>
public sealed record GradientSearchResult<TArch>(TArch Architecture, ArchitectureHistory History)
    where TArch : class, IArchitecture<TArch>;
