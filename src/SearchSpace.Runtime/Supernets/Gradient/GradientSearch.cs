using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SearchSpaceDsl.Supernets.Gradient;

/// <summary>
/// Gradient-based architecture search on a weight-entangled supernet (TangleNAS with DARTS, GDAS or DrNAS): first-order
/// bi-level optimisation that alternates a weights step on a training batch and an architecture step on a validation
/// batch, both under the mixture of the current architecture parameters, then derives the argmax architecture.
/// </summary>
/// <typeparam name="TModel">The supernet (generated), built at the space's largest architecture.</typeparam>
/// <typeparam name="TArch">The generated architecture type.</typeparam>
/// <remarks>
/// <para><b>One step</b> (<see cref="Step"/>): (1) the weights: option weights are drawn from the architecture
/// parameters without gradient, the supernet computes the training batch under that mixture, and AdamW updates the
/// weights; (2) after <see cref="GradientSearchOptions.WarmupSteps"/>, the architecture: option weights are drawn with
/// gradient, the supernet computes the validation batch, and Adam updates the architecture parameters on the task loss
/// plus the hardware term. First-order: the weights are not unrolled. Gradients the architecture step leaves on the
/// weights are cleared by the next weights step.</para>
/// <para>Every step runs in its own dispose scope and clears the supernet's mixture before it ends (also when it throws).
/// One search, one thread.</para>
/// </remarks>
public sealed class GradientSearch<TModel, TArch> : IDisposable
    where TModel : nn.Module<Tensor, Tensor>, IMixableSupernet<TArch>
    where TArch : class, IArchitecture<TArch>
{
    private readonly TModel _model;
    private readonly Func<Tensor, Tensor, Tensor> _loss;
    private readonly IReadOnlyList<Parameter> _weights;
    private readonly optim.Optimizer _weightOptimizer;
    private readonly optim.Optimizer _architectureOptimizer;
    private readonly Generator _generator;
    private int _step;

    /// <summary>Creates the architecture parameters and both optimizers.</summary>
    /// <param name="model">The supernet; its capacity must be the space's largest architecture.</param>
    /// <param name="loss">The task loss of the model's output and a target, a scalar (e.g. MSE or cross-entropy).</param>
    /// <param name="options">The settings.</param>
    /// <exception cref="ArgumentException">An option is invalid, the model has no trainable weight, or its capacity is not the largest architecture.</exception>
    public GradientSearch(TModel model, Func<Tensor, Tensor, Tensor> loss, GradientSearchOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (!model.Capacity.Equals(TArch.Space.Largest))
            throw new ArgumentException($"Gradient-based search needs the supernet built at the largest architecture {TArch.Space.Largest}; it holds {model.Capacity}.", nameof(model));
        _model = model;
        _loss = loss;
        Options = options;
        _weights = model.parameters().Where(p => p.requires_grad).ToList();
        if (_weights.Count == 0)
            throw new ArgumentException($"The supernet '{model.GetName()}' has no trainable weight.", nameof(model));
        var dtype = _weights[0].dtype;
        Architecture = new ArchitectureParameters<TArch>(options.InitialLogitStd, options.Seed, dtype);
        _weightOptimizer = optim.AdamW(_weights, lr: options.WeightLearningRate, weight_decay: options.WeightDecay);
        _architectureOptimizer = Architecture.CreateOptimizer(options.ArchitectureLearningRate, weightDecay: options.ArchitectureWeightDecay);
        _generator = new Generator((ulong)options.Seed + 7919);
        History = new ArchitectureHistory(TArch.Space.Description);
    }

    /// <summary>The settings.</summary>
    public GradientSearchOptions Options { get; }

    /// <summary>The architecture parameters (their own module, optimizer and checkpoint).</summary>
    public ArchitectureParameters<TArch> Architecture { get; }

    /// <summary>The option weights after every step so far.</summary>
    public ArchitectureHistory History { get; }

    /// <summary>The steps done so far.</summary>
    public int StepsDone => _step;

    /// <summary>One weights step on <paramref name="train"/> and, after the warm-up, one architecture step on <paramref name="valid"/>.</summary>
    /// <exception cref="InvalidOperationException">The model's forward does not mix a depth the space has (see <see cref="DepthMixing"/>).</exception>
    public GradientStepResult Step((Tensor Input, Tensor Target) train, (Tensor Input, Tensor Target) valid)
    {
        double progress = Options.Steps <= 1 ? 1 : Math.Min(1, (double)_step / (Options.Steps - 1));
        bool wasTraining = _model.training;
        _model.train();
        double trainLoss, validLoss = double.NaN, cost = double.NaN;
        try
        {
            using (var scope = NewDisposeScope())
            {
                ArchitectureMixture mixture;
                using (no_grad())
                {
                    mixture = Options.WeightStep == WeightStepMixture.SampledArchitecture
                        ? Architecture.SampleArchitecture(Options.Mode, _generator)
                        : Architecture.Mix(Options.Mode, progress, _generator);
                }
                trainLoss = MixedWeightStep.Run<TModel, TArch>(_model, mixture, _loss, train, _weightOptimizer, _weights, Options.GradientClipNorm);
            }

            if (_step >= Options.WarmupSteps)
            {
                using var scope = NewDisposeScope();
                var mixture = Architecture.Mix(Options.Mode, progress, _generator);
                _model.Mix(mixture);
                var loss = _loss(_model.forward(valid.Input), valid.Target);
                var total = loss;
                if (Options.Hardware is { } hardware)
                {
                    var (expected, term) = hardware.Evaluate(mixture);
                    total = total.add(term.to_type(loss.dtype));
                    cost = expected.ToDouble();
                }
                _architectureOptimizer.zero_grad();
                total.backward();
                _architectureOptimizer.step();
                validLoss = loss.ToDouble();
                _model.ClearMixture();
            }
        }
        finally
        {
            if (_model.Mixture is not null)
                _model.ClearMixture();
            _model.train(wasTraining);
        }

        History.Add(new ArchitectureRecord(_step, Options.Mode.TemperatureAt(progress), trainLoss, validLoss, cost, Architecture.Probabilities(Options.Mode)));
        return new GradientStepResult(_step++, trainLoss, validLoss, cost);
    }

    /// <summary>
    /// Runs the remaining steps up to <see cref="GradientSearchOptions.Steps"/>, drawing a training and a validation batch
    /// per step (tensors the sources create are disposed after their step), and derives the architecture.
    /// </summary>
    public GradientSearchResult<TArch> Run(Func<(Tensor Input, Tensor Target)> train, Func<(Tensor Input, Tensor Target)> valid, IProgress<GradientStepResult>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(valid);
        while (_step < Options.Steps)
        {
            using var scope = NewDisposeScope();
            var result = Step(train(), valid());
            progress?.Report(result);
        }
        return new GradientSearchResult<TArch>(Derive(), History);
    }

    /// <summary>The argmax architecture of the current parameters.</summary>
    public TArch Derive() => Architecture.Derive();

    /// <inheritdoc />
    public void Dispose()
    {
        _weightOptimizer.Dispose();
        _architectureOptimizer.Dispose();
        _generator.Dispose();
        Architecture.Dispose();
    }
}
