using SearchSpaceDsl.Search.Pareto;

namespace SearchSpaceDsl.Search.Optimizers;

/// <summary>
/// Pareto local search: keeps the archive of non-dominated evaluated architectures and proposes an unvisited
/// neighbour (one active choice changed) of a random archive member; with one objective this is stochastic hill
/// climbing that also walks plateaus. When no unvisited neighbour is found it restarts from a random member.
/// </summary>
/// <typeparam name="TArch">The architecture type.</typeparam>
public sealed class LocalSearch<TArch> : IOptimizer<TArch> where TArch : class
{
    private const int NeighbourAttempts = 64;
    private const int SampleAttempts = 64;
    private readonly ISearchSpace<TArch> _space;
    private readonly Random _random;
    private readonly List<Individual<TArch>> _archive = [];
    private readonly HashSet<TArch> _visited = [];
    private ToldValues _told;

    /// <summary>Creates the optimizer.</summary>
    /// <param name="space">The space to search.</param>
    /// <param name="seed">Makes the sequence of proposals reproducible.</param>
    public LocalSearch(ISearchSpace<TArch> space, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(space);
        _space = space;
        _random = new Random(seed);
        Description = $"LocalSearch(seed={seed})";
    }

    /// <inheritdoc />
    public string Description { get; }

    /// <summary>The current non-dominated archive (architectures and values in minimization form).</summary>
    public IReadOnlyList<(TArch Architecture, double[] Values)> Archive => _archive.Select(i => (i.Architecture, i.Values)).ToList();

    /// <inheritdoc />
    public TArch Ask()
    {
        if (_archive.Count > 0)
        {
            for (var attempt = 0; attempt < NeighbourAttempts; attempt++)
            {
                var centre = _archive[_random.Next(_archive.Count)].Architecture;
                var neighbour = _space.Mutate(centre, _random);
                if (_visited.Add(neighbour))
                    return neighbour;
            }
        }
        // No archive yet, or every neighbour tried was visited: restart from a random unvisited member.
        var sample = _space.Sample(_random);
        for (var attempt = 1; attempt < SampleAttempts && _visited.Contains(sample); attempt++)
            sample = _space.Sample(_random);
        _visited.Add(sample);
        return sample;
    }

    /// <inheritdoc />
    public void Tell(TArch architecture, ReadOnlySpan<double> values)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        var told = _told.Check(values);
        _visited.Add(architecture);
        foreach (var member in _archive)
        {
            if (Dominance.Dominates(member.Values, told) || EqualityComparer<TArch>.Default.Equals(member.Architecture, architecture))
                return;
        }
        _archive.RemoveAll(member => Dominance.Dominates(told, member.Values));
        _archive.Add(new Individual<TArch>(architecture, told));
    }

    /// <inheritdoc />
    public void TellFailure(TArch architecture)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        _visited.Add(architecture);
    }
}
