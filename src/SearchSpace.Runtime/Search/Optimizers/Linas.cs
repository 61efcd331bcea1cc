using SearchSpaceDsl.Search.Pareto;
using SearchSpaceDsl.Search.Predictors;

namespace SearchSpaceDsl.Search.Optimizers;

/// <summary>
/// LINAS, the predictor-assisted evolution of DyNAS-T (Cummings et al. 2022): after a random start, each cycle fits
/// one lightly trained predictor per objective on every evaluated architecture, runs NSGA-II for many generations
/// against the predictors alone (cheap), and proposes the best predicted architectures not evaluated yet for real
/// evaluation. The predictors are re-fitted every cycle, so they improve where the search goes.
/// </summary>
/// <typeparam name="TArch">The architecture type.</typeparam>
/// <remarks>
/// The inner NSGA-II starts from the real non-dominated architectures (told their measured values), so each cycle
/// begins where the real search stands. Candidates are taken from the inner search's first front, least crowded first.
/// </remarks>
public sealed class Linas<TArch> : IOptimizer<TArch> where TArch : class
{
    private readonly ISearchSpace<TArch> _space;
    private readonly Random _random;
    private readonly int _seed;
    private readonly Func<IPredictor> _createPredictor;
    private readonly EncodingKind _encoding;
    private const int ExplorationAttempts = 64;
    private readonly ProposalMemory<TArch> _memory = new();
    private readonly Queue<TArch> _candidates = new();
    private int _cycle;

    /// <summary>Creates the optimizer.</summary>
    /// <param name="space">The space to search.</param>
    /// <param name="seed">Makes the sequence of proposals reproducible (with deterministic predictors).</param>
    /// <param name="predictor">Creates one fresh predictor per objective and cycle; ridge regression (alpha 1) by default.</param>
    /// <param name="encoding">How architectures are encoded for the predictors.</param>
    /// <param name="initialSamples">Random evaluations before the first cycle (at least 2).</param>
    /// <param name="populationSize">The inner NSGA-II's population.</param>
    /// <param name="generations">The inner NSGA-II's generations per cycle.</param>
    /// <param name="candidatesPerCycle">Architectures proposed for real evaluation per cycle.</param>
    public Linas(
        ISearchSpace<TArch> space,
        int seed = 0,
        Func<IPredictor>? predictor = null,
        EncodingKind encoding = EncodingKind.OneHot,
        int initialSamples = 20,
        int populationSize = 50,
        int generations = 20,
        int candidatesPerCycle = 10)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentOutOfRangeException.ThrowIfLessThan(initialSamples, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(populationSize, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(generations, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(candidatesPerCycle, 1);
        _space = space;
        _seed = seed;
        _random = new Random(seed);
        _createPredictor = predictor ?? (() => new RidgeRegression(1.0));
        _encoding = encoding;
        InitialSamples = initialSamples;
        PopulationSize = populationSize;
        Generations = generations;
        CandidatesPerCycle = candidatesPerCycle;
        Description = $"LINAS(predictor={_createPredictor().Description}, encoding={encoding}, initial={initialSamples}, population={populationSize}, "
            + $"generations={generations}, candidates={candidatesPerCycle}, seed={seed})";
    }

    /// <inheritdoc />
    public string Description { get; }

    /// <summary>Random evaluations before the first cycle.</summary>
    public int InitialSamples { get; }

    /// <summary>The inner NSGA-II's population.</summary>
    public int PopulationSize { get; }

    /// <summary>The inner NSGA-II's generations per cycle.</summary>
    public int Generations { get; }

    /// <summary>Architectures proposed for real evaluation per cycle.</summary>
    public int CandidatesPerCycle { get; }

    /// <summary>Cycles run so far (predictor fits and inner searches).</summary>
    public int Cycles => _cycle;

    /// <inheritdoc />
    public TArch Ask()
    {
        if (_candidates.Count == 0)
        {
            if (_memory.Evaluated.Count < InitialSamples)
                return Remember(SampleUnseen());
            RunCycle();
        }
        return Remember(_candidates.Dequeue());
    }

    /// <inheritdoc />
    public void Tell(TArch architecture, ReadOnlySpan<double> values) => _memory.Record(architecture, values);

    /// <inheritdoc />
    public void TellFailure(TArch architecture) => _memory.RecordFailure(architecture);

    private TArch Remember(TArch architecture) => _memory.Remember(architecture);

    private TArch SampleUnseen() => _memory.SampleUnseen(_space, _random);

    private void RunCycle()
    {
        _cycle++;
        var objectives = _memory.Evaluated[0].Values.Length;
        var features = _memory.Evaluated.Select(e => _space.Encode(e.Architecture, _encoding)).ToArray();
        var predictors = new IPredictor[objectives];
        for (var j = 0; j < objectives; j++)
        {
            predictors[j] = _createPredictor();
            predictors[j].Fit(features, [.. _memory.Evaluated.Select(e => e.Values[j])]);
        }

        // The inner search: a fresh NSGA-II seeded from this optimizer's seed and the cycle, started from the real front.
        var inner = new Nsga2<TArch>(_space, unchecked(_seed * 1_000_003 + _cycle), PopulationSize);
        var start = NonDominatedSorting.Sort([.. _memory.Evaluated.Select(e => e.Values)]).SelectMany(f => f).Take(PopulationSize);
        foreach (var index in start)
            inner.Tell(_memory.Evaluated[index].Architecture, _memory.Evaluated[index].Values);
        var predicted = new double[objectives];
        for (var step = 0; step < PopulationSize * Generations; step++)
        {
            var architecture = inner.Ask();
            var encoding = _space.Encode(architecture, _encoding);
            for (var j = 0; j < objectives; j++)
                predicted[j] = predictors[j].Predict(encoding).Mean;
            inner.Tell(architecture, predicted);
        }

        // The inner population is ordered front by front; within the first front, the least crowded first.
        var population = inner.Population;
        var values = population.Select(p => p.Values).ToArray();
        var front = NonDominatedSorting.Sort(values)[0];
        var crowding = CrowdingDistance.Compute(values, front);
        var ordered = front.Select((index, k) => (index, crowding[k])).OrderByDescending(p => p.Item2).ThenBy(p => p.index).Select(p => population[p.index].Architecture)
            .Concat(population.Select(p => p.Architecture));
        foreach (var architecture in ordered)
        {
            if (_candidates.Count >= CandidatesPerCycle)
                break;
            if (!_memory.HasSeen(architecture) && !_candidates.Contains(architecture))
                _candidates.Enqueue(architecture);
        }
        // When the predictions point mostly at evaluated architectures, explore with random ones instead.
        for (var attempt = 0; _candidates.Count < Math.Max(1, CandidatesPerCycle / 2) && attempt < ExplorationAttempts; attempt++)
        {
            var sample = SampleUnseen();
            if (!_candidates.Contains(sample))
                _candidates.Enqueue(sample);
        }
    }
}
