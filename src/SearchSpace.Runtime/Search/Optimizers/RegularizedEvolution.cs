namespace SearchSpaceDsl.Search.Optimizers;

/// <summary>
/// Regularized (aging) evolution, Real et al. 2019: the first <c>populationSize</c> evaluations are random; after that
/// each proposal mutates the best of <c>sampleSize</c> members drawn from the population, and every evaluated child
/// replaces the oldest member. Single-objective: with several objectives, pass weights to minimize their weighted sum,
/// or use <see cref="MoRegularizedEvolution{TArch}"/> or <see cref="Nsga2{TArch}"/>.
/// </summary>
/// <typeparam name="TArch">The architecture type.</typeparam>
public sealed class RegularizedEvolution<TArch> : IOptimizer<TArch> where TArch : class
{
    private readonly ISearchSpace<TArch> _space;
    private readonly Random _random;
    private readonly int _populationSize;
    private readonly int _sampleSize;
    private readonly double[]? _weights;
    private readonly Queue<(TArch Architecture, double Score)> _population = new();
    private readonly HashSet<TArch> _seen = [];
    private ToldValues _told;

    /// <summary>Creates the optimizer.</summary>
    /// <param name="space">The space to search.</param>
    /// <param name="seed">Makes the sequence of proposals reproducible.</param>
    /// <param name="populationSize">Members kept (the oldest dies when a child arrives).</param>
    /// <param name="sampleSize">Members compared to choose each parent (2 ≤ it ≤ the population).</param>
    /// <param name="weights">For several objectives, the weight of each in the minimized sum (minimization form); null for one objective.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is out of range, or a weight is negative or non-finite.</exception>
    public RegularizedEvolution(ISearchSpace<TArch> space, int seed = 0, int populationSize = 50, int sampleSize = 10, IReadOnlyList<double>? weights = null)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentOutOfRangeException.ThrowIfLessThan(populationSize, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleSize, 2);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(sampleSize, populationSize);
        if (weights is not null && (weights.Count == 0 || weights.Any(w => !double.IsFinite(w) || w < 0)))
            throw new ArgumentOutOfRangeException(nameof(weights), "The weights must be one finite, non-negative number per objective.");
        _space = space;
        _random = new Random(seed);
        _populationSize = populationSize;
        _sampleSize = sampleSize;
        _weights = weights?.ToArray();
        var weightText = _weights is null ? "" : $", weights=[{string.Join(", ", _weights)}]";
        Description = $"RegularizedEvolution(population={populationSize}, sample={sampleSize}{weightText}, seed={seed})";
    }

    /// <inheritdoc />
    public string Description { get; }

    /// <inheritdoc />
    public TArch Ask()
    {
        if (_population.Count < _populationSize)
            return Remember(_space.Sample(_random));
        var members = _population.ToArray();
        var parent = members[_random.Next(members.Length)];
        for (var i = 1; i < _sampleSize; i++)
        {
            var candidate = members[_random.Next(members.Length)];
            if (candidate.Score < parent.Score)
                parent = candidate;
        }
        return Remember(_space.Mutate(parent.Architecture, _random));
    }

    private TArch Remember(TArch architecture)
    {
        _seen.Add(architecture);
        return architecture;
    }

    /// <inheritdoc />
    public void Tell(TArch architecture, ReadOnlySpan<double> values)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        var told = _told.Check(values);
        _seen.Add(architecture);
        _population.Enqueue((architecture, Score(told)));
        if (_population.Count > _populationSize)
            _population.Dequeue();
    }

    /// <inheritdoc />
    public void TellFailure(TArch architecture) => ArgumentNullException.ThrowIfNull(architecture);

    private double Score(double[] values)
    {
        if (_weights is null)
        {
            return values.Length == 1
                ? values[0]
                : throw new InvalidOperationException(
                    $"Regularized evolution optimizes one objective, but {values.Length} were told: pass weights to minimize their weighted sum, or use MoRegularizedEvolution or Nsga2.");
        }
        if (_weights.Length != values.Length)
            throw new InvalidOperationException($"Regularized evolution has {_weights.Length} weights, but {values.Length} objective values were told.");
        var score = 0.0;
        for (var i = 0; i < values.Length; i++)
            score += _weights[i] * values[i];
        return score;
    }
}
