namespace SearchSpaceDsl.Supernets.Gradient;

/// <summary>
/// A whole-model supernet that computes under an architecture mixture (gradient-based search: DARTS, GDAS, DrNAS,
/// MODNAS). Generated for every <c>[Supernet]</c> model class, together with the static cost expectations
/// <c>ExpectedParameters(ArchitectureMixture)</c> and <c>ExpectedFlopsPerToken(ArchitectureMixture, int)</c>.
/// </summary>
/// <typeparam name="TArch">The generated architecture type.</typeparam>
public interface IMixableSupernet<TArch> : ISupernet<TArch> where TArch : class, IArchitecture<TArch>
{
    /// <summary>The mixture the forward computes now, or null when it computes <see cref="ISupernet{TArch}.Active"/>.</summary>
    ArchitectureMixture? Mixture { get; }

    /// <summary>
    /// Makes the forward compute <paramref name="mixture"/>: activates the capacity (which must be the space's largest
    /// architecture, so that every option has weights), then sets every layer's mixture from the distributions of the
    /// sizes its declaration names. A depth is mixed only if <c>forward</c> runs its blocks through
    /// <see cref="DepthMixing"/>. <see cref="ISupernet{TArch}.Activate"/> or <see cref="ClearMixture"/> ends it.
    /// </summary>
    /// <exception cref="ArgumentException">The mixture belongs to another space, or the capacity is not the largest architecture.</exception>
    void Mix(ArchitectureMixture mixture);

    /// <summary>Ends the mixture: every layer computes its active slice again, and the capacity stays active.</summary>
    void ClearMixture();
}
