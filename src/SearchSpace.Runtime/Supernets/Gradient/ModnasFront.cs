using SearchSpaceDsl.Search.Pareto;

namespace SearchSpaceDsl.Supernets.Gradient;

/// <summary>
/// The outcome of a MODNAS preference sweep: every distinct derived architecture with its objectives, the
/// non-dominated ones, and their hypervolume.
/// </summary>
/// <typeparam name="TArch">The generated architecture type.</typeparam>
public sealed class ModnasFront<TArch> where TArch : class, IArchitecture<TArch>
{
    internal ModnasFront(IReadOnlyList<ParetoPoint<TArch>> points, double[] reference)
    {
        Points = points;
        Reference = reference;
        var objectives = points.Select(p => p.Objectives).ToList();
        Front = [.. ParetoFront.Indices(objectives).Select(i => points[i])];
        Hypervolume = Search.Pareto.Hypervolume.Compute(objectives, reference);
    }

    /// <summary>Every distinct architecture of the sweep, in sweep order.</summary>
    public IReadOnlyList<ParetoPoint<TArch>> Points { get; }

    /// <summary>The non-dominated points.</summary>
    public IReadOnlyList<ParetoPoint<TArch>> Front { get; }

    /// <summary>The reference point of <see cref="Hypervolume"/>.</summary>
    public double[] Reference { get; }

    /// <summary>The exact hypervolume the points dominate up to <see cref="Reference"/>.</summary>
    public double Hypervolume { get; }
}
