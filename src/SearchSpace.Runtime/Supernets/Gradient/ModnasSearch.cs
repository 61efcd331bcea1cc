using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SearchSpaceDsl.Supernets.Gradient;

/// <summary>
/// MODNAS (multi-objective differentiable NAS) on a weight-entangled supernet: a <see cref="PreferenceHypernetwork"/>
/// maps a preference vector over the objectives (the task loss, then each hardware cost), and optionally a hardware
/// feature vector, to all architecture logits. Each step draws a fresh preference from the uniform distribution on the
/// simplex, trains the weights on a training batch, and trains the hypernetwork on the scalarised objective
/// <c>Σ_m p_m · f_m</c> of a validation batch (the loss and the expected costs under the mixture). After one run,
/// <see cref="Sweep"/> derives an architecture for each of many preferences: a whole Pareto front from one search.
/// </summary>
/// <typeparam name="TModel">The supernet (generated), built at the space's largest architecture.</typeparam>
/// <typeparam name="TArch">The generated architecture type.</typeparam>
/// <remarks>
/// Scalarisation is the weighted sum, so the objectives should be on comparable scales: pass costs normalised (e.g.
/// <c>m =&gt; TModel.ExpectedParameters(m) / scale</c>). One search, one thread.
/// </remarks>
public sealed class ModnasSearch<TModel, TArch> : IDisposable
    where TModel : nn.Module<Tensor, Tensor>, IMixableSupernet<TArch>
    where TArch : class, IArchitecture<TArch>
{
    private readonly TModel _model;
    private readonly Func<Tensor, Tensor, Tensor> _loss;
    private readonly IReadOnlyList<Func<ArchitectureMixture, Tensor>> _costs;
    private readonly IReadOnlyList<Parameter> _weights;
    private readonly optim.Optimizer _weightOptimizer;
    private readonly optim.Optimizer _hyperOptimizer;
    private readonly Generator _generator;
    private readonly int[] _lengths;
    private readonly double[] _hardware;
    private int _step;

    /// <summary>Creates the hypernetwork and both optimizers.</summary>
    /// <param name="model">The supernet; its capacity must be the space's largest architecture.</param>
    /// <param name="loss">The task loss (the first objective).</param>
    /// <param name="costs">The expected hardware costs (the other objectives), each a scalar under a mixture; at least one.</param>
    /// <param name="options">The settings.</param>
    /// <exception cref="ArgumentException">An option is invalid, there is no cost, or the model does not fit.</exception>
    public ModnasSearch(TModel model, Func<Tensor, Tensor, Tensor> loss, IReadOnlyList<Func<ArchitectureMixture, Tensor>> costs, ModnasOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(costs);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (costs.Count == 0 || costs.Any(c => c is null))
            throw new ArgumentException("MODNAS needs at least one (non-null) hardware cost besides the loss.", nameof(costs));
        if (!model.Capacity.Equals(TArch.Space.Largest))
            throw new ArgumentException($"MODNAS needs the supernet built at the largest architecture {TArch.Space.Largest}; it holds {model.Capacity}.", nameof(model));
        _model = model;
        _loss = loss;
        _costs = costs;
        Options = options;
        _hardware = options.HardwareFeatures?.ToArray() ?? [];
        var description = TArch.Space.Description;
        _lengths = [.. description.Dimensions.SelectMany(d => Enumerable.Repeat(d.Count, d.Slots))];
        _weights = model.parameters().Where(p => p.requires_grad).ToList();
        if (_weights.Count == 0)
            throw new ArgumentException($"The supernet '{model.GetName()}' has no trainable weight.", nameof(model));
        Hypernetwork = new PreferenceHypernetwork(Objectives + _hardware.Length, _lengths.Sum(), options.HiddenUnits, options.Seed);
        Hypernetwork.to(_weights[0].dtype);
        _weightOptimizer = optim.AdamW(_weights, lr: options.WeightLearningRate, weight_decay: options.WeightDecay);
        _hyperOptimizer = optim.Adam(Hypernetwork.parameters(), lr: options.HypernetworkLearningRate);
        _generator = new Generator((ulong)options.Seed + 104729);
    }

    /// <summary>The settings.</summary>
    public ModnasOptions Options { get; }

    /// <summary>The number of objectives: the loss and each cost.</summary>
    public int Objectives => 1 + _costs.Count;

    /// <summary>The hypernetwork (its own module and optimizer).</summary>
    public PreferenceHypernetwork Hypernetwork { get; }

    /// <summary>The steps done so far.</summary>
    public int StepsDone => _step;

    /// <summary>
    /// The preference normalised to sum 1, after checking it: one finite, non-negative entry per objective, not all zero.
    /// </summary>
    /// <exception cref="ArgumentException">The preference is of the wrong length, has a negative or non-finite entry, or sums to 0.</exception>
    public double[] CheckPreference(IReadOnlyList<double> preference)
    {
        ArgumentNullException.ThrowIfNull(preference);
        if (preference.Count != Objectives)
            throw new ArgumentException(
                $"A preference vector needs one weight per objective ({Objectives}: the loss and {_costs.Count} cost{(_costs.Count == 1 ? "" : "s")}), got {preference.Count}.",
                nameof(preference));
        for (int m = 0; m < preference.Count; m++)
        {
            if (!double.IsFinite(preference[m]) || preference[m] < 0)
                throw new ArgumentException($"Preference weights must be finite and non-negative; entry {m} is {preference[m]}.", nameof(preference));
        }
        double sum = preference.Sum();
        if (sum <= 0)
            throw new ArgumentException("A preference vector must have a positive weight somewhere; all entries are 0.", nameof(preference));
        return [.. preference.Select(p => p / sum)];
    }

    /// <summary>The hypernetwork's logits for a preference (and the configured hardware features), one vector per gene position.</summary>
    public IReadOnlyList<Tensor> Logits(IReadOnlyList<double> preference)
    {
        var p = CheckPreference(preference);
        var input = tensor([.. p, .. _hardware], dtype: _weights[0].dtype, device: _weights[0].device);
        var flat = Hypernetwork.forward(input);
        return flat.split(_lengths.Select(l => (long)l).ToArray());
    }

    /// <summary>One step: a fresh random preference, a weights step on <paramref name="train"/>, a hypernetwork step on <paramref name="valid"/>.</summary>
    /// <returns>The preference, the training loss and the scalarised objective (NaN during warm-up).</returns>
    public (double[] Preference, double TrainLoss, double Scalarised) Step((Tensor Input, Tensor Target) train, (Tensor Input, Tensor Target) valid)
    {
        var description = TArch.Space.Description;
        double progress = Options.Steps <= 1 ? 1 : Math.Min(1, (double)_step / (Options.Steps - 1));
        var preference = SamplePreference();
        bool wasTraining = _model.training;
        _model.train();
        double trainLoss, scalarised = double.NaN;
        try
        {
            using (var scope = NewDisposeScope())
            {
                ArchitectureMixture mixture;
                using (no_grad())
                {
                    var logits = Logits(preference);
                    mixture = Options.WeightStep == WeightStepMixture.SampledArchitecture
                        ? SampleArchitecture(description, logits)
                        : Options.Mode.Mix(description, logits, progress, _generator);
                }
                trainLoss = MixedWeightStep.Run<TModel, TArch>(_model, mixture, _loss, train, _weightOptimizer, _weights, Options.GradientClipNorm);
            }

            if (_step >= Options.WarmupSteps)
            {
                using var scope = NewDisposeScope();
                var mixture = Options.Mode.Mix(description, Logits(preference), progress, _generator);
                _model.Mix(mixture);
                var total = _loss(_model.forward(valid.Input), valid.Target).mul(preference[0]);
                for (int k = 0; k < _costs.Count; k++)
                    total = total.add(_costs[k](mixture).to_type(total.dtype).mul(preference[k + 1]));
                _hyperOptimizer.zero_grad();
                total.backward();
                _hyperOptimizer.step();
                scalarised = total.ToDouble();
                _model.ClearMixture();
            }
        }
        finally
        {
            if (_model.Mixture is not null)
                _model.ClearMixture();
            _model.train(wasTraining);
        }
        _step++;
        return (preference, trainLoss, scalarised);
    }

    /// <summary>Runs the remaining steps up to <see cref="ModnasOptions.Steps"/>, drawing batches per step (disposed after it).</summary>
    public void Run(Func<(Tensor Input, Tensor Target)> train, Func<(Tensor Input, Tensor Target)> valid)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(valid);
        while (_step < Options.Steps)
        {
            using var scope = NewDisposeScope();
            Step(train(), valid());
        }
    }

    /// <summary>The argmax architecture the hypernetwork gives for <paramref name="preference"/>.</summary>
    /// <exception cref="ArgumentException">The preference is invalid (see <see cref="CheckPreference"/>).</exception>
    public TArch Derive(IReadOnlyList<double> preference)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var scores = Logits(preference).SelectMany(l => l.to_type(ScalarType.Float64).data<double>().ToArray()).ToArray();
        return ArchitectureDerivation.Argmax<TArch>(scores);
    }

    /// <summary>
    /// Derives an architecture for every preference, evaluates each distinct one once with <paramref name="evaluate"/>
    /// (its objectives, all minimised, e.g. the validation loss of <c>Activate(arch)</c> and its normalised parameter count),
    /// and returns them with their Pareto front and its hypervolume (two objectives) against <paramref name="reference"/>
    /// (default: the worst value of each objective plus 10 % of its range).
    /// </summary>
    /// <exception cref="ArgumentException">A preference is invalid, or the evaluations are ragged.</exception>
    public ModnasFront<TArch> Sweep(IEnumerable<IReadOnlyList<double>> preferences, Func<TArch, double[]> evaluate, double[]? reference = null)
    {
        ArgumentNullException.ThrowIfNull(preferences);
        ArgumentNullException.ThrowIfNull(evaluate);
        var points = new List<ParetoPoint<TArch>>();
        var seen = new HashSet<TArch>();
        foreach (var preference in preferences)
        {
            var normalised = CheckPreference(preference);
            var architecture = Derive(normalised);
            if (seen.Add(architecture))
                points.Add(new ParetoPoint<TArch>(normalised, architecture, evaluate(architecture)));
        }
        if (points.Count == 0)
            throw new ArgumentException("The sweep needs at least one preference.", nameof(preferences));
        int objectives = points[0].Objectives.Length;
        if (points.Any(p => p.Objectives.Length != objectives))
            throw new ArgumentException("Every evaluation must return the same number of objectives.", nameof(evaluate));
        reference ??= [.. Enumerable.Range(0, objectives).Select(m =>
        {
            double max = points.Max(p => p.Objectives[m]), min = points.Min(p => p.Objectives[m]);
            return max + 0.1 * Math.Max(max - min, 1e-12);
        })];
        return new ModnasFront<TArch>(points, reference);
    }

    /// <summary>
    /// <paramref name="count"/> preferences spread evenly over the two-objective simplex, from all weight on the loss to all
    /// on the cost: <c>(1 − t, t)</c> for <c>t = 0, 1/(count−1), …, 1</c>.
    /// </summary>
    public static IReadOnlyList<double[]> EvenPreferences(int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 2);
        return [.. Enumerable.Range(0, count).Select(i => (double)i / (count - 1)).Select(t => new[] { 1 - t, t })];
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _weightOptimizer.Dispose();
        _hyperOptimizer.Dispose();
        _generator.Dispose();
        Hypernetwork.Dispose();
    }

    // A uniform draw on the simplex: Dirichlet(1, …, 1) as normalised Exp(1) (Gamma(1)) draws of the seeded generator.
    private double[] SamplePreference()
    {
        using var scope = NewDisposeScope();
        var u = rand([Objectives], dtype: ScalarType.Float64, generator: _generator).clamp_min(1e-12);
        var e = u.log().neg();
        return (e / e.sum()).data<double>().ToArray();
    }

    private ArchitectureMixture SampleArchitecture(SearchSpaceDescription description, IReadOnlyList<Tensor> logits)
    {
        var weights = new Tensor[logits.Count];
        for (int g = 0; g < logits.Count; g++)
        {
            var p = Options.Mode.Probabilities(logits[g]);
            var choice = p.multinomial(1, generator: _generator).squeeze(0);
            weights[g] = nn.functional.one_hot(choice, p.size(0)).to_type(p.dtype);
        }
        return new ArchitectureMixture(description, weights);
    }
}
