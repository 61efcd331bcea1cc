using SearchSpaceDsl.Search;
using SearchSpaceDsl.Search.Optimizers;
using SearchSpaceDsl.Search.Pareto;
using SearchSpaceDsl.TestProblems;

namespace SearchSpaceDsl.Tests.Search.Optimizers;

/// <summary>Runs optimizers on the test problems and scores them by the fraction of the true front's hypervolume they reach.</summary>
internal static class KnownFronts
{
    public static readonly double[] Zdt1Reference = [1.1, 1.1];
    public static readonly double[] Dtlz2Reference = [1.1, 1.1, 1.1];

    /// <summary>The hypervolume of the evaluated points over that of the true front, in [0, 1].</summary>
    public static double Zdt1Fraction(Func<ISearchSpace<Zdt1>, int, IOptimizer<Zdt1>> create, int seed, int budget) =>
        Fraction(create(Zdt1.Space, seed), Zdt1.Evaluate, budget, Zdt1.TrueFront(), Zdt1Reference);

    /// <inheritdoc cref="Zdt1Fraction"/>
    public static double Dtlz2Fraction(Func<ISearchSpace<Dtlz2>, int, IOptimizer<Dtlz2>> create, int seed, int budget) =>
        Fraction(create(Dtlz2.Space, seed), Dtlz2.Evaluate, budget, Dtlz2.TrueFront(), Dtlz2Reference);

    public static double Fraction<TArch>(IOptimizer<TArch> optimizer, Func<TArch, double[]> evaluate, int budget, double[][] trueFront, double[] reference)
        where TArch : class, IArchitecture<TArch>
    {
        var objectives = Enumerable.Range(0, reference.Length)
            .Select(i => Objective<TArch>.Minimize($"f{i + 1}", a => evaluate(a)[i]))
            .ToArray();
        using var study = Study<TArch>.InMemory(objectives);
        study.Optimize(optimizer, budget);
        Assert.Equal(budget, study.CompletedTrials.Count);
        return study.Hypervolume(reference) / Hypervolume.Compute(trueFront, reference);
    }
}
