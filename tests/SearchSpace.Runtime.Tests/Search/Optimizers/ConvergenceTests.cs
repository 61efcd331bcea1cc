using SearchSpaceDsl.Search.Optimizers;
using SearchSpaceDsl.TestProblems;

namespace SearchSpaceDsl.Tests.Search.Optimizers;

/// <summary>
/// Multi-objective optimizers on problems whose Pareto fronts are known analytically (ZDT1 with 2 objectives, DTLZ2
/// with 3): each must reach a stated fraction of the true front's hypervolume within its budget, for three seeds, and
/// beat random search at the same budget and seed. The predictor-assisted optimizers (LINAS, ParEGO) must also beat
/// NSGA-II at their small budgets: sample efficiency is what they are for.
/// </summary>
public sealed class ConvergenceTests
{
    public static TheoryData<string, int, double> Zdt1Cases => new()
    {
        { "NSGA-II", 1000, 0.97 },
        { "MO-REA", 1000, 0.80 },
        { "LINAS", 400, 0.97 },
        { "ParEGO", 80, 0.85 },
    };

    public static TheoryData<string, int, double> Dtlz2Cases => new()
    {
        { "NSGA-II", 1000, 0.93 },
        { "MO-REA", 1000, 0.75 },
        { "LINAS", 400, 0.85 },
    };

    private static IOptimizer<TArch> Create<TArch>(string name, ISearchSpace<TArch> space, int seed) where TArch : class => name switch
    {
        "NSGA-II" => new Nsga2<TArch>(space, seed, populationSize: 40),
        "MO-REA" => new MoRegularizedEvolution<TArch>(space, seed, populationSize: 40, sampleSize: 8),
        "LINAS" => new Linas<TArch>(space, seed),
        "ParEGO" => new ParEgo<TArch>(space, seed),
        "random" => new RandomSearch<TArch>(space, seed),
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(Zdt1Cases))]
    public void Reaches_the_ZDT1_front_and_beats_random_search(string optimizer, int budget, double target)
    {
        foreach (var seed in new[] { 1, 2, 3 })
        {
            var fraction = KnownFronts.Zdt1Fraction((space, s) => Create(optimizer, space, s), seed, budget);
            var random = KnownFronts.Zdt1Fraction((space, s) => Create("random", space, s), seed, budget);
            if (optimizer is "LINAS" or "ParEGO")
            {
                var nsga2 = KnownFronts.Zdt1Fraction((space, s) => new Nsga2<Zdt1>(space, s, populationSize: 20), seed, budget);
                Assert.True(fraction > nsga2, $"{optimizer} reached {fraction:P2}, NSGA-II {nsga2:P2} (seed {seed}, budget {budget}).");
            }
            Assert.True(fraction >= target, $"{optimizer} reached {fraction:P2} of the true hypervolume with seed {seed} (random search: {random:P2}); the target is {target:P0}.");
            Assert.True(fraction > random, $"{optimizer} reached {fraction:P2}, random search {random:P2} (seed {seed}).");
        }
    }

    [Theory]
    [MemberData(nameof(Dtlz2Cases))]
    public void Reaches_the_DTLZ2_front_and_beats_random_search(string optimizer, int budget, double target)
    {
        foreach (var seed in new[] { 1, 2, 3 })
        {
            var fraction = KnownFronts.Dtlz2Fraction((space, s) => Create(optimizer, space, s), seed, budget);
            var random = KnownFronts.Dtlz2Fraction((space, s) => Create("random", space, s), seed, budget);
            if (optimizer is "LINAS" or "ParEGO")
            {
                var nsga2 = KnownFronts.Dtlz2Fraction((space, s) => new Nsga2<Dtlz2>(space, s, populationSize: 20), seed, budget);
                Assert.True(fraction > nsga2, $"{optimizer} reached {fraction:P2}, NSGA-II {nsga2:P2} (seed {seed}, budget {budget}).");
            }
            Assert.True(fraction >= target, $"{optimizer} reached {fraction:P2} of the true hypervolume with seed {seed} (random search: {random:P2}); the target is {target:P0}.");
            Assert.True(fraction > random, $"{optimizer} reached {fraction:P2}, random search {random:P2} (seed {seed}).");
        }
    }
}
