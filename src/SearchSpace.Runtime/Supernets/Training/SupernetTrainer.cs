using SearchSpaceDsl.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace SearchSpaceDsl.Supernets.Training;

/// <summary>
/// Trains a weight-entangled supernet language model with a sampling strategy (random, sandwich, fixed; BRIEF
/// section 4): each step trains several sub-networks on the same batch, accumulating their gradients, then takes one
/// AdamW step on the shared max-size weights.
/// </summary>
/// <typeparam name="TModel">The supernet: maps int64 tokens <c>[B, T]</c> to logits <c>[B, T, vocab]</c> for its active architecture.</typeparam>
/// <typeparam name="TArch">The generated architecture type.</typeparam>
/// <remarks>
/// <para>
/// <b>One step</b> (<see cref="Step"/>): zero the gradients; for each architecture the strategy chooses, activate it,
/// run the forward, compute its loss and call <c>backward</c>, so the gradients of all architectures of the step add
/// up in the shared weights (their sum, not their mean, as OFA and whittle do); then clip the accumulated gradient
/// (<see cref="SupernetTrainingOptions.GradientClipNorm"/>) and take one optimizer step. Weights outside every active
/// slice of the step receive zero gradient.
/// </para>
/// <para>
/// <b>In-place distillation</b> (<see cref="SupernetTrainingOptions.Distillation"/>; OFA, BigNAS, whittle): the
/// largest architecture (<see cref="ISupernet{TArch}.Capacity"/>) is the teacher. It is trained with the
/// cross-entropy, and its logits of this same step and batch, detached, are the soft targets of every other
/// architecture of the step, whose <em>whole</em> loss is <see cref="SupernetLosses.Distillation"/>
/// (<c>T²·KL(p_teacher ‖ p_student)</c>; no cross-entropy term is mixed in). The teacher is computed first: when the
/// strategy lists the largest, its (gradient-carrying) forward is moved to the front of the step; when it does not
/// (random or fixed sampling), an extra forward of the largest without gradient provides the teacher logits. An
/// architecture equal to the largest always gets the cross-entropy.
/// </para>
/// <para>
/// <b>State</b>: <see cref="Step"/> and <see cref="Evaluate(TArch, IEnumerable{ValueTuple{Tensor, Tensor}})"/>
/// restore the architecture that was active before them and the module's train/eval mode (also when they throw), so
/// they have no visible effect on the model besides the weights (and, for a step, the gradients, which stay readable
/// until the next step). Switching architectures only stores integers, so restoring is free.
/// </para>
/// <para>
/// <b>Memory</b>: every step and every evaluation batch runs in its own <c>torch.NewDisposeScope()</c>, so the
/// activations, logits and losses of a step are released when it ends and memory stays flat over any number of steps.
/// Tensors the caller created before the call (the inputs of <see cref="Step"/>) remain the caller's; tensors a
/// batch source creates during <see cref="Train(Func{ValueTuple{Tensor, Tensor}}, IProgress{TrainingProgress}?)"/> or
/// during the enumeration of the evaluation batches are disposed after their step or batch.
/// </para>
/// <para>
/// Dispose scopes and the trainer's random sources are not thread-safe: use one trainer from one thread.
/// </para>
/// </remarks>
public sealed class SupernetTrainer<TModel, TArch> : IDisposable
    where TModel : nn.Module<Tensor, Tensor>, ISupernet<TArch>
    where TArch : class, IArchitecture<TArch>
{
    private readonly TModel _model;
    private readonly ISamplingStrategy<TArch> _strategy;
    private readonly optim.Optimizer _optimizer;
    private readonly IReadOnlyList<TorchSharp.Modules.Parameter> _parameters;
    private readonly Random _architectureRandom;
    private readonly Random _batchRandom;
    private int _stepsDone;

    /// <summary>Creates the trainer and its AdamW optimizer over all of the model's trainable parameters.</summary>
    /// <param name="model">The supernet to train.</param>
    /// <param name="options">The settings (always valid: they are checked when set).</param>
    /// <param name="strategy">Which sub-networks each step trains.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The model has no trainable parameter.</exception>
    public SupernetTrainer(TModel model, SupernetTrainingOptions options, ISamplingStrategy<TArch> strategy)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(strategy);
        _model = model;
        Options = options;
        _strategy = strategy;
        _parameters = model.parameters().Where(p => p.requires_grad).ToList();
        if (_parameters.Count == 0)
            throw new ArgumentException($"The supernet '{model.GetName()}' has no trainable parameter.", nameof(model));
        _optimizer = optim.AdamW(_parameters, lr: options.LearningRate, weight_decay: options.WeightDecay);
        _architectureRandom = new Random(options.Seed);
        _batchRandom = new Random(unchecked(options.Seed * 31 + 17));
    }

    /// <summary>The supernet being trained.</summary>
    public TModel Model => _model;

    /// <summary>The settings.</summary>
    public SupernetTrainingOptions Options { get; }

    /// <summary>The sampling strategy.</summary>
    public ISamplingStrategy<TArch> Strategy => _strategy;

    /// <summary>The number of optimizer steps taken so far (the step index the strategy sees next).</summary>
    public int StepsDone => _stepsDone;

    /// <summary>
    /// One optimizer step on one batch: the gradients of every architecture the strategy chooses for this step are
    /// accumulated, clipped when configured, and applied by AdamW (see the class remarks).
    /// </summary>
    /// <param name="inputs">Token ids, int64 <c>[B, T]</c>.</param>
    /// <param name="targets">The next tokens, int64 <c>[B, T]</c>.</param>
    /// <returns>Each architecture's loss and their mean.</returns>
    /// <exception cref="ArgumentException">The batch is not two int64 tensors of one 2-D shape.</exception>
    /// <exception cref="InvalidOperationException">The strategy chose no architecture.</exception>
    public SupernetStepResult<TArch> Step(Tensor inputs, Tensor targets)
    {
        CheckBatch(inputs, targets);
        var architectures = _strategy.ArchitecturesFor(_stepsDone, _architectureRandom);
        if (architectures is null || architectures.Count == 0)
            throw new InvalidOperationException($"The sampling strategy '{_strategy}' chose no architecture for step {_stepsDone}.");

        var teacher = _model.Capacity;
        var distill = Options.Distillation;
        var losses = new ArchitectureLoss<TArch>[architectures.Count];
        var previous = _model.Active;
        var wasTraining = _model.training;
        try
        {
            _model.train();
            _optimizer.zero_grad();
            using (var scope = NewDisposeScope())
            {
                Tensor? teacherLogits = null;
                if (distill && !architectures.Any(a => a.Equals(teacher)))
                {
                    using var noGrad = no_grad();
                    _model.Activate(teacher);
                    teacherLogits = _model.forward(inputs).detach();
                }

                foreach (var index in TrainingOrder(architectures, distill ? teacher : null))
                {
                    var architecture = architectures[index];
                    using var archScope = NewDisposeScope();
                    _model.Activate(architecture);
                    var logits = _model.forward(inputs);
                    var distilled = distill && !architecture.Equals(teacher);
                    var loss = distilled
                        ? SupernetLosses.Distillation(logits, teacherLogits!, Options.DistillationTemperature)
                        : SupernetLosses.CrossEntropy(logits, targets);
                    loss.backward();
                    losses[index] = new ArchitectureLoss<TArch>(architecture, loss.ToDouble(), distilled);
                    if (distill && teacherLogits is null)
                        teacherLogits = logits.detach().MoveToOuterDisposeScope();
                }

                if (Options.GradientClipNorm is { } maxNorm)
                    nn.utils.clip_grad_norm_(_parameters, maxNorm);
            }
            _optimizer.step();
        }
        finally
        {
            _model.Activate(previous);
            _model.train(wasTraining);
        }

        _stepsDone++;
        return new SupernetStepResult<TArch>(losses.Average(l => l.Loss), losses);
    }

    /// <summary>
    /// Runs <see cref="SupernetTrainingOptions.Steps"/> steps, each on the batch <paramref name="nextBatch"/> returns
    /// (called inside the step's dispose scope, so a batch it creates is disposed after its step).
    /// </summary>
    /// <param name="nextBatch">Returns the next batch: int64 inputs and targets <c>[B, T]</c>.</param>
    /// <param name="progress">Receives a report after each step.</param>
    /// <returns>The mean loss of each step.</returns>
    public IReadOnlyList<double> Train(Func<(Tensor Inputs, Tensor Targets)> nextBatch, IProgress<TrainingProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(nextBatch);
        var steps = Options.Steps;
        var history = new double[steps];
        for (var i = 0; i < steps; i++)
        {
            SupernetStepResult<TArch> result;
            using (NewDisposeScope())
            {
                var (inputs, targets) = nextBatch();
                result = Step(inputs, targets);
            }
            history[i] = result.Loss;
            progress?.Report(new TrainingProgress(i + 1, steps, result.Loss, result.Losses.Select(l => l.Loss).ToArray()));
        }
        return history;
    }

    /// <summary>
    /// Runs <see cref="SupernetTrainingOptions.Steps"/> steps on random windows of <paramref name="tokens"/>
    /// (<see cref="TokenBatches.Sample"/> with <see cref="SupernetTrainingOptions.BatchSize"/>,
    /// <see cref="SupernetTrainingOptions.Context"/> and a random source seeded from <see cref="SupernetTrainingOptions.Seed"/>).
    /// </summary>
    /// <param name="tokens">The training token ids (longer than the context).</param>
    /// <param name="progress">Receives a report after each step.</param>
    /// <returns>The mean loss of each step.</returns>
    public IReadOnlyList<double> Train(int[] tokens, IProgress<TrainingProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        var device = DeviceOf(_parameters);
        return Train(() => TokenBatches.Sample(tokens, Options.BatchSize, Options.Context, _batchRandom, device), progress);
    }

    /// <summary>
    /// The mean next-token cross-entropy of <paramref name="architecture"/> over every target token of
    /// <paramref name="batches"/>, in eval mode without gradient; the perplexity is <c>exp</c> of it.
    /// </summary>
    /// <param name="architecture">The sub-network to evaluate.</param>
    /// <param name="batches">Int64 inputs and targets <c>[B, T]</c>; enumerated once, each batch inside its own dispose scope.</param>
    /// <exception cref="ArgumentException">There is no batch, or a batch is not two int64 tensors of one 2-D shape; or the architecture does not fit the supernet.</exception>
    public SupernetEvaluation Evaluate(TArch architecture, IEnumerable<(Tensor Inputs, Tensor Targets)> batches) =>
        SupernetEvaluator.Evaluate<TModel, TArch>(_model, architecture, batches);

    /// <summary>
    /// Evaluates <paramref name="architecture"/> on consecutive windows of <paramref name="tokens"/>
    /// (<see cref="TokenBatches.Sequential"/> with <see cref="SupernetTrainingOptions.BatchSize"/> and
    /// <see cref="SupernetTrainingOptions.Context"/>): a deterministic validation set.
    /// </summary>
    /// <param name="architecture">The sub-network to evaluate.</param>
    /// <param name="tokens">The validation token ids (longer than the context).</param>
    /// <param name="maxBatches">At most this many batches (from the start).</param>
    public SupernetEvaluation Evaluate(TArch architecture, int[] tokens, int maxBatches = int.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        return Evaluate(architecture, TokenBatches.Sequential(tokens, Options.BatchSize, Options.Context, maxBatches, DeviceOf(_parameters)));
    }

    /// <summary>Disposes the optimizer (its state); the model is the caller's.</summary>
    public void Dispose() => _optimizer.Dispose();

    // The strategy's order, except that with distillation the first occurrence of the teacher goes first, so that its
    // logits exist before any student needs them. The order of backward passes does not change the accumulated sum.
    private static IEnumerable<int> TrainingOrder(IReadOnlyList<TArch> architectures, TArch? teacher)
    {
        var first = -1;
        if (teacher is not null)
        {
            for (var i = 0; i < architectures.Count && first < 0; i++)
            {
                if (architectures[i].Equals(teacher))
                    first = i;
            }
        }
        if (first >= 0)
            yield return first;
        for (var i = 0; i < architectures.Count; i++)
        {
            if (i != first)
                yield return i;
        }
    }

    private static Device DeviceOf(IReadOnlyList<TorchSharp.Modules.Parameter> parameters) => parameters[0].device;

    internal static void CheckBatch(Tensor inputs, Tensor targets, string paramName = "inputs")
    {
        ArgumentNullException.ThrowIfNull(inputs, paramName);
        ArgumentNullException.ThrowIfNull(targets, paramName);
        if (inputs.dtype != ScalarType.Int64 || targets.dtype != ScalarType.Int64)
            throw new ArgumentException($"The inputs and targets must be int64 token ids, got {inputs.dtype} and {targets.dtype}.", paramName);
        if (inputs.dim() != 2 || !inputs.shape.SequenceEqual(targets.shape))
            throw new ArgumentException(
                $"The inputs and targets must both be [batch, context], got [{string.Join(", ", inputs.shape)}] and [{string.Join(", ", targets.shape)}].",
                paramName);
    }
}
