using SearchSpaceDsl.Search.Predictors;

namespace SearchSpaceDsl.Search.Optimizers;

/// <summary>
/// ParEGO (Knowles 2006), Bayesian optimization of several objectives by random scalarizations: each proposal draws a
/// weight vector λ uniformly from the simplex, scalarizes every evaluated architecture's normalized objectives with the
/// augmented Chebyshev function max_j λ_j·f_j + ρ·Σ_j λ_j·f_j, fits a Gaussian process to that scalar over the
/// architectures' encodings, and proposes the unevaluated candidate of highest expected improvement.
/// </summary>
/// <typeparam name="TArch">The architecture type.</typeparam>
/// <remarks>
/// Candidates are random members plus mutations of the best scalarized architectures, since a discrete space has no
/// gradient to follow. The GP is refitted at every proposal (O(n³) in the evaluations): meant for expensive
/// evaluations and budgets of hundreds, not for cheap objectives.
/// </remarks>
public sealed class ParEgo<TArch> : IOptimizer<TArch> where TArch : class
{
    private readonly ISearchSpace<TArch> _space;
    private readonly Random _random;
    private readonly Func<IPredictor> _createModel;
    private readonly double _rho;
    private readonly ProposalMemory<TArch> _memory = new();

    /// <summary>Creates the optimizer.</summary>
    /// <param name="space">The space to search.</param>
    /// <param name="seed">Makes the sequence of proposals reproducible.</param>
    /// <param name="initialSamples">Random evaluations before the first model (at least 2).</param>
    /// <param name="randomCandidates">Random members scored by expected improvement per proposal.</param>
    /// <param name="mutatedParents">The best scalarized architectures whose mutations are also scored.</param>
    /// <param name="rho">The weight of the augmented Chebyshev function's sum term (Knowles: 0.05).</param>
    /// <param name="model">Creates the surrogate; a <see cref="GaussianProcessRegression"/> by default.</param>
    public ParEgo(
        ISearchSpace<TArch> space,
        int seed = 0,
        int initialSamples = 10,
        int randomCandidates = 200,
        int mutatedParents = 5,
        double rho = 0.05,
        Func<IPredictor>? model = null)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentOutOfRangeException.ThrowIfLessThan(initialSamples, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(randomCandidates, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(mutatedParents);
        if (!(rho >= 0 && double.IsFinite(rho)))
            throw new ArgumentOutOfRangeException(nameof(rho), rho, "ρ must be a finite, non-negative number.");
        _space = space;
        _random = new Random(seed);
        _createModel = model ?? (() => new GaussianProcessRegression());
        _rho = rho;
        InitialSamples = initialSamples;
        RandomCandidates = randomCandidates;
        MutatedParents = mutatedParents;
        Description = $"ParEGO(model={_createModel().Description}, initial={initialSamples}, candidates={randomCandidates}, parents={mutatedParents}, rho={rho}, seed={seed})";
    }

    /// <inheritdoc />
    public string Description { get; }

    /// <summary>Random evaluations before the first model.</summary>
    public int InitialSamples { get; }

    /// <summary>Random members scored per proposal.</summary>
    public int RandomCandidates { get; }

    /// <summary>The best scalarized architectures whose mutations are also scored.</summary>
    public int MutatedParents { get; }

    /// <inheritdoc />
    public TArch Ask()
    {
        if (_memory.Evaluated.Count < InitialSamples)
            return Remember(SampleUnseen());

        var scalar = Scalarize(RandomWeights(_memory.Evaluated[0].Values.Length));
        var model = _createModel();
        model.Fit([.. _memory.Evaluated.Select(e => _space.Encode(e.Architecture))], scalar);
        var best = scalar.Min();

        var candidates = new List<TArch>(RandomCandidates + MutatedParents * 4);
        for (var i = 0; i < RandomCandidates; i++)
            candidates.Add(_space.Sample(_random));
        foreach (var parent in Enumerable.Range(0, _memory.Evaluated.Count).OrderBy(i => scalar[i]).Take(MutatedParents))
        {
            for (var i = 0; i < 4; i++)
                candidates.Add(_space.Mutate(_memory.Evaluated[parent].Architecture, _random));
        }

        TArch? choice = null;
        var bestImprovement = double.NegativeInfinity;
        foreach (var candidate in candidates)
        {
            if (_memory.HasSeen(candidate))
                continue;
            var improvement = Acquisition.ExpectedImprovement(model.Predict(_space.Encode(candidate)), best);
            if (improvement > bestImprovement)
            {
                bestImprovement = improvement;
                choice = candidate;
            }
        }
        return Remember(choice ?? SampleUnseen());
    }

    /// <inheritdoc />
    public void Tell(TArch architecture, ReadOnlySpan<double> values) => _memory.Record(architecture, values);

    /// <inheritdoc />
    public void TellFailure(TArch architecture) => _memory.RecordFailure(architecture);

    private TArch Remember(TArch architecture) => _memory.Remember(architecture);

    private TArch SampleUnseen() => _memory.SampleUnseen(_space, _random);

    // Uniform on the simplex: normalized exponential draws (a flat Dirichlet).
    private double[] RandomWeights(int count)
    {
        var weights = new double[count];
        for (var j = 0; j < count; j++)
            weights[j] = -Math.Log(1 - _random.NextDouble());
        var sum = weights.Sum();
        for (var j = 0; j < count; j++)
            weights[j] /= sum;
        return weights;
    }

    // Each objective normalized to [0, 1] over the evaluations, then the augmented Chebyshev scalarization.
    private double[] Scalarize(double[] weights)
    {
        var m = weights.Length;
        var low = new double[m];
        var high = new double[m];
        for (var j = 0; j < m; j++)
        {
            low[j] = _memory.Evaluated.Min(e => e.Values[j]);
            high[j] = _memory.Evaluated.Max(e => e.Values[j]);
        }
        var scalar = new double[_memory.Evaluated.Count];
        for (var i = 0; i < scalar.Length; i++)
        {
            double max = double.NegativeInfinity, sum = 0;
            for (var j = 0; j < m; j++)
            {
                var range = high[j] - low[j];
                var f = range > 0 ? (_memory.Evaluated[i].Values[j] - low[j]) / range : 0;
                max = Math.Max(max, weights[j] * f);
                sum += weights[j] * f;
            }
            scalar[i] = max + _rho * sum;
        }
        return scalar;
    }
}
