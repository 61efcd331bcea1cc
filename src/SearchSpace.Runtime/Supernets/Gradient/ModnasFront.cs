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
        Hypervolume = reference.Length == 2 ? Hypervolume2D(Front.Select(p => p.Objectives), reference) : double.NaN;
    }

    /// <summary>Every distinct architecture of the sweep, in sweep order.</summary>
    public IReadOnlyList<ParetoPoint<TArch>> Points { get; }

    /// <summary>The non-dominated points.</summary>
    public IReadOnlyList<ParetoPoint<TArch>> Front { get; }

    /// <summary>The reference point of <see cref="Hypervolume"/>.</summary>
    public double[] Reference { get; }

    /// <summary>The hypervolume the front dominates up to <see cref="Reference"/> (two objectives; NaN otherwise).</summary>
    public double Hypervolume { get; }

    // A sort-and-sweep for two objectives until the shared Hypervolume class (Search/Pareto) lands; points beyond the
    // reference add nothing.
    private static double Hypervolume2D(IEnumerable<double[]> points, double[] reference)
    {
        double volume = 0, previous = reference[1];
        foreach (var p in points.Where(p => p[0] < reference[0] && p[1] < reference[1]).OrderBy(p => p[0]).ThenBy(p => p[1]))
        {
            if (p[1] >= previous)
                continue;
            volume += (reference[0] - p[0]) * (previous - p[1]);
            previous = p[1];
        }
        return volume;
    }
}
