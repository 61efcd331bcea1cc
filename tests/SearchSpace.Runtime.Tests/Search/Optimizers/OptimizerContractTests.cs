using SearchSpaceDsl.Search;
using SearchSpaceDsl.Search.Optimizers;
using SearchSpaceDsl.Search.Predictors;
using SearchSpaceDsl.TestProblems;

namespace SearchSpaceDsl.Tests.Search.Optimizers;

/// <summary>The ask/tell contract every optimizer keeps (see <see cref="IOptimizer{TArch}"/>), checked on each of them.</summary>
public sealed class OptimizerContractTests
{
    public static TheoryData<string> Names => new() { "random", "local", "REA", "MO-REA", "NSGA-II", "LINAS", "ParEGO" };

    internal static IOptimizer<Zdt1> Create(string name, ISearchSpace<Zdt1> space, int seed) => name switch
    {
        "random" => new RandomSearch<Zdt1>(space, seed),
        "local" => new LocalSearch<Zdt1>(space, seed),
        "REA" => new RegularizedEvolution<Zdt1>(space, seed, populationSize: 10, sampleSize: 3, weights: [1, 1]),
        "MO-REA" => new MoRegularizedEvolution<Zdt1>(space, seed, populationSize: 10, sampleSize: 3),
        "NSGA-II" => new Nsga2<Zdt1>(space, seed, populationSize: 10),
        "LINAS" => new Linas<Zdt1>(space, seed, initialSamples: 10, populationSize: 10, generations: 5, candidatesPerCycle: 5),
        "ParEGO" => new ParEgo<Zdt1>(space, seed, initialSamples: 10, randomCandidates: 30, model: () => new RidgeRegression()),
        _ => throw new ArgumentException(name),
    };

    private static List<Zdt1> Drive(IOptimizer<Zdt1> optimizer, int steps, bool abandonSome = false, bool tellStrangers = false)
    {
        var proposals = new List<Zdt1>();
        var strangers = new Random(99);
        for (var i = 0; i < steps; i++)
        {
            var a = optimizer.Ask();
            proposals.Add(a);
            if (abandonSome && i % 3 == 0)
                continue;
            if (i % 7 == 6)
                optimizer.TellFailure(a);
            else
                optimizer.Tell(a, Zdt1.Evaluate(a));
            if (tellStrangers && i % 5 == 0)
            {
                var stranger = Zdt1.Space.Sample(strangers);
                optimizer.Tell(stranger, Zdt1.Evaluate(stranger));
            }
        }
        return proposals;
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void The_same_seed_gives_the_same_proposals_and_another_seed_others(string name)
    {
        var first = Drive(Create(name, Zdt1.Space, 5), 80);
        var second = Drive(Create(name, Zdt1.Space, 5), 80);
        var other = Drive(Create(name, Zdt1.Space, 6), 80);
        Assert.Equal(first, second);
        Assert.NotEqual(first, other);
        Assert.Contains($"seed=5", Create(name, Zdt1.Space, 5).Description);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Every_proposal_meets_the_constraints_of_the_space_it_was_given(string name)
    {
        var budget = Zdt1.Space.Where(a => a.X1 <= 6 && a.X2 + a.X3 <= 8, "x1 ≤ 6 and x2 + x3 ≤ 8");
        var proposals = Drive(Create(name, budget, 1), 120, abandonSome: true);
        Assert.All(proposals, p => Assert.True(budget.IsValid(p), $"{name} proposed {p}."));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Abandoned_proposals_and_architectures_it_never_asked_are_accepted(string name)
    {
        var proposals = Drive(Create(name, Zdt1.Space, 3), 120, abandonSome: true, tellStrangers: true);
        Assert.All(proposals, p => Assert.True(Zdt1.Space.IsValid(p)));
        Assert.True(proposals.Distinct().Count() > 30, $"{name} proposed only {proposals.Distinct().Count()} distinct architectures.");
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Values_of_another_length_or_not_finite_are_refused(string name)
    {
        var optimizer = Create(name, Zdt1.Space, 1);
        var a = optimizer.Ask();
        optimizer.Tell(a, [0.5, 0.5]);
        Assert.Contains("told 2 objective values before; got 3", Assert.Throws<ArgumentException>(() => optimizer.Tell(a, [1, 2, 3])).Message);
        Assert.Contains("Objective value 1 is NaN; report a failed evaluation with TellFailure", Assert.Throws<ArgumentException>(() => optimizer.Tell(a, [1, double.NaN])).Message);
        Assert.Contains("at least one objective value", Assert.Throws<ArgumentException>(() => optimizer.Tell(a, [])).Message);
    }

    [Fact]
    public void Regularized_evolution_asks_for_weights_when_there_are_several_objectives()
    {
        var optimizer = new RegularizedEvolution<Zdt1>(Zdt1.Space, populationSize: 4, sampleSize: 2);
        var error = Assert.Throws<InvalidOperationException>(() => optimizer.Tell(optimizer.Ask(), [1, 2]));
        Assert.Contains("pass weights to minimize their weighted sum, or use MoRegularizedEvolution or Nsga2", error.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new RegularizedEvolution<Zdt1>(Zdt1.Space, weights: [1, -1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RegularizedEvolution<Zdt1>(Zdt1.Space, populationSize: 5, sampleSize: 6));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Nsga2<Zdt1>(Zdt1.Space, crossoverProbability: 1.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MoRegularizedEvolution<Zdt1>(Zdt1.Space, populationSize: 1));
    }

    public static TheoryData<string> SingleObjective => new() { "local", "REA" };

    /// <summary>Minimizing x1 + … + x6 (optimum: all zero, one member in 3.4 million) is easy for local methods and hard for random search.</summary>
    [Theory]
    [MemberData(nameof(SingleObjective))]
    public void Single_objective_optimizers_find_the_optimum_that_random_search_misses(string name)
    {
        static double Sum(Zdt1 a) => a.X1 + a.X2 + a.X3 + a.X4 + a.X5 + a.X6;
        var budget = name == "local" ? 400 : 1000; // aging evolution pays for its regularization
        double Best(IOptimizer<Zdt1> optimizer)
        {
            using var study = Study<Zdt1>.InMemory(Objective<Zdt1>.Minimize("sum", Sum));
            study.Optimize(optimizer, budget);
            return study.CompletedTrials.Min(t => t.Values![0]);
        }
        foreach (var seed in new[] { 1, 2, 3 })
        {
            IOptimizer<Zdt1> optimizer = name == "local"
                ? new LocalSearch<Zdt1>(Zdt1.Space, seed)
                : new RegularizedEvolution<Zdt1>(Zdt1.Space, seed, populationSize: 20, sampleSize: 10);
            var best = Best(optimizer);
            var random = Best(new RandomSearch<Zdt1>(Zdt1.Space, seed));
            // Local search walks straight down; aging evolution gets within one step of the optimum.
            Assert.True(best <= (name == "local" ? 0 : 1), $"{name} reached {best} with seed {seed}; random search {random}.");
            Assert.True(random >= 4, $"Random search reached {random} with seed {seed}.");
        }
    }
}
