using SearchSpaceDsl.Search.Pareto;

namespace SearchSpaceDsl.Search.Optimizers;

/// <summary>
/// NSGA-II (Deb et al. 2002) in ask/tell form. The first <c>populationSize</c> evaluations are random; then each
/// proposal is a child of two parents chosen by binary crowded tournaments, built by the space's uniform crossover
/// and one-choice mutation. Every <c>populationSize</c> evaluated children, parents and children are merged and the
/// next population is filled front by front, the last front cut by crowding distance.
/// </summary>
/// <typeparam name="TArch">The architecture type.</typeparam>
/// <remarks>
/// Children wait for the next selection in arrival order, so proposals asked before a selection still count in it. An
/// architecture already in the population or waiting is ignored when told again; failed evaluations are left out.
/// </remarks>
public sealed class Nsga2<TArch> : IOptimizer<TArch> where TArch : class
{
    private readonly ISearchSpace<TArch> _space;
    private readonly Random _random;
    private readonly double _crossoverProbability;
    private readonly double _mutationProbability;
    private List<Individual<TArch>> _population = [];
    private readonly List<Individual<TArch>> _offspring = [];
    private readonly HashSet<TArch> _members = []; // the architectures of the population and the offspring
    private ToldValues _told;

    /// <summary>Creates the optimizer.</summary>
    /// <param name="space">The space to search.</param>
    /// <param name="seed">Makes the sequence of proposals reproducible.</param>
    /// <param name="populationSize">Members per generation (at least 2).</param>
    /// <param name="crossoverProbability">The probability that a child is a crossover of its two parents rather than a copy of the first.</param>
    /// <param name="mutationProbability">The probability that a child then has one active choice changed.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size below 2 or a probability outside [0, 1].</exception>
    public Nsga2(ISearchSpace<TArch> space, int seed = 0, int populationSize = 50, double crossoverProbability = 0.9, double mutationProbability = 1.0)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentOutOfRangeException.ThrowIfLessThan(populationSize, 2);
        CheckProbability(crossoverProbability, nameof(crossoverProbability));
        CheckProbability(mutationProbability, nameof(mutationProbability));
        _space = space;
        _random = new Random(seed);
        PopulationSize = populationSize;
        _crossoverProbability = crossoverProbability;
        _mutationProbability = mutationProbability;
        Description = $"NSGA-II(population={populationSize}, crossover={crossoverProbability}, mutation={mutationProbability}, seed={seed})";
    }

    /// <inheritdoc />
    public string Description { get; }

    /// <summary>Members per generation.</summary>
    public int PopulationSize { get; }

    /// <summary>Completed selections so far.</summary>
    public int Generation { get; private set; }

    /// <summary>The current parent population (architectures and values in minimization form), best fronts first.</summary>
    public IReadOnlyList<(TArch Architecture, double[] Values)> Population => _population.Select(i => (i.Architecture, i.Values)).ToList();

    /// <inheritdoc />
    public TArch Ask()
    {
        if (_population.Count == 0)
            return _space.Sample(_random);
        var first = Tournament();
        var second = Tournament();
        var child = _random.NextDouble() < _crossoverProbability ? _space.Crossover(first.Architecture, second.Architecture, _random) : first.Architecture;
        return _random.NextDouble() < _mutationProbability ? _space.Mutate(child, _random) : child;
    }

    /// <inheritdoc />
    public void Tell(TArch architecture, ReadOnlySpan<double> values)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        var told = _told.Check(values);
        // An architecture told again (a study answering a duplicate proposal from its cache) brings nothing new.
        if (!_members.Add(architecture))
            return;
        _offspring.Add(new Individual<TArch>(architecture, told));
        if (_offspring.Count >= PopulationSize)
            Select();
    }

    /// <inheritdoc />
    public void TellFailure(TArch architecture) => ArgumentNullException.ThrowIfNull(architecture);

    private Individual<TArch> Tournament()
    {
        var a = _population[_random.Next(_population.Count)];
        var b = _population[_random.Next(_population.Count)];
        return b.BeatsByRankAndCrowding(a) ? b : a;
    }

    // Environmental selection over parents and children, without duplicate architectures.
    private void Select()
    {
        var combined = _population.Concat(_offspring).ToList();
        _offspring.Clear();
        _population = SelectSurvivors(combined, PopulationSize);
        _members.Clear();
        _members.UnionWith(_population.Select(i => i.Architecture));
        Generation++;
    }

    /// <summary>The best <paramref name="count"/> of <paramref name="candidates"/> by front, then crowding distance; ranks and crowding set.</summary>
    internal static List<Individual<TArch>> SelectSurvivors(IReadOnlyList<Individual<TArch>> candidates, int count)
    {
        var values = candidates.Select(c => c.Values).ToArray();
        var survivors = new List<Individual<TArch>>(Math.Min(count, candidates.Count));
        var fronts = NonDominatedSorting.Sort(values);
        for (var rank = 0; rank < fronts.Length && survivors.Count < count; rank++)
        {
            var front = fronts[rank];
            var crowding = CrowdingDistance.Compute(values, front);
            var order = Enumerable.Range(0, front.Length).ToArray();
            if (survivors.Count + front.Length > count)
                order = [.. order.OrderByDescending(k => crowding[k]).ThenBy(k => k).Take(count - survivors.Count)];
            foreach (var k in order)
            {
                var individual = candidates[front[k]];
                individual.Rank = rank;
                individual.Crowding = crowding[k];
                survivors.Add(individual);
            }
        }
        return survivors;
    }

    private static void CheckProbability(double p, string name)
    {
        if (!(p >= 0 && p <= 1))
            throw new ArgumentOutOfRangeException(name, p, "A probability must lie in [0, 1].");
    }
}
