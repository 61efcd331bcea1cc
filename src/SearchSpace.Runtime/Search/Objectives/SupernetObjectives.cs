using SearchSpaceDsl.Data;
using SearchSpaceDsl.Supernets;
using SearchSpaceDsl.Supernets.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace SearchSpaceDsl.Search;

/// <summary>
/// Built-in objectives of a trained language-model supernet: the validation loss or perplexity of a sub-network
/// (computed by slicing, no copy) and the measured latency and peak memory of its extracted dense model.
/// </summary>
/// <remarks>
/// Each objective locks the supernet while it measures (switching the active architecture is not thread-safe, and
/// timings taken side by side would disturb each other), so they are safe, though serial, in a study with several workers.
/// </remarks>
public static class SupernetObjectives
{
    /// <summary>
    /// The mean next-token cross-entropy (nats per token) of each sub-network over consecutive windows of
    /// <paramref name="validationTokens"/> (<see cref="TokenBatches.Sequential"/>): a deterministic validation set.
    /// </summary>
    /// <param name="supernet">The trained supernet.</param>
    /// <param name="validationTokens">The validation token ids.</param>
    /// <param name="batchSize">Windows per batch.</param>
    /// <param name="context">Tokens per window.</param>
    /// <param name="maxBatches">At most this many batches from the start.</param>
    /// <param name="name">The objective's name.</param>
    public static Objective<TArch> ValidationLoss<TModel, TArch>(TModel supernet, int[] validationTokens, int batchSize, int context, int maxBatches = int.MaxValue, string name = "val_loss")
        where TModel : nn.Module<Tensor, Tensor>, ISupernet<TArch>
        where TArch : class, IArchitecture<TArch>
    {
        var evaluate = Evaluator<TModel, TArch>(supernet, validationTokens, batchSize, context, maxBatches);
        return Objective<TArch>.Minimize(name, a => evaluate(a).Loss);
    }

    /// <summary>The validation perplexity, <c>exp</c> of <see cref="ValidationLoss"/>, with the loss as a trial detail.</summary>
    /// <inheritdoc cref="ValidationLoss" path="/param"/>
    public static Objective<TArch> Perplexity<TModel, TArch>(TModel supernet, int[] validationTokens, int batchSize, int context, int maxBatches = int.MaxValue, string name = "perplexity")
        where TModel : nn.Module<Tensor, Tensor>, ISupernet<TArch>
        where TArch : class, IArchitecture<TArch>
    {
        var evaluate = Evaluator<TModel, TArch>(supernet, validationTokens, batchSize, context, maxBatches);
        return new Objective<TArch>(name, ObjectiveDirection.Minimize, a =>
        {
            var result = evaluate(a);
            return new Measurement(result.Perplexity, new Dictionary<string, double> { [$"{name}_loss"] = result.Loss });
        });
    }

    /// <summary>
    /// The latency in milliseconds of one forward of each architecture's extracted dense model (no gradient) on
    /// <paramref name="input"/>: <paramref name="warmup"/> untimed runs, then the median of <paramref name="repeats"/>;
    /// the spread and minimum are trial details.
    /// </summary>
    /// <param name="supernet">The supernet to extract from.</param>
    /// <param name="input">The model input, such as int64 tokens <c>[batch, context]</c>.</param>
    /// <param name="warmup">Untimed runs first.</param>
    /// <param name="repeats">Timed runs.</param>
    /// <param name="name">The objective's name.</param>
    public static Objective<TArch> Latency<TModel, TArch>(TModel supernet, Tensor input, int warmup = 3, int repeats = 10, string name = "latency_ms")
        where TModel : nn.Module<Tensor, Tensor>, ISupernet<TArch>
        where TArch : class, IArchitecture<TArch>
    {
        ArgumentNullException.ThrowIfNull(supernet);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentOutOfRangeException.ThrowIfNegative(warmup);
        ArgumentOutOfRangeException.ThrowIfLessThan(repeats, 1);
        return new Objective<TArch>(name, ObjectiveDirection.Minimize, a =>
        {
            lock (supernet)
            {
                using var model = supernet.Extract(a);
                model.eval();
                using var noGrad = no_grad();
                return Search.Latency.Measure(() =>
                {
                    using var scope = NewDisposeScope();
                    model.forward(input);
                }, warmup, repeats).ToMeasurement(name);
            }
        });
    }

    /// <summary>
    /// The peak memory in MiB of inference with each architecture's extracted dense model: its parameter bytes plus
    /// the peak resident memory one forward on <paramref name="input"/> adds (<see cref="PeakMemory"/>; Linux). The
    /// two parts are trial details.
    /// </summary>
    /// <param name="supernet">The supernet to extract from.</param>
    /// <param name="input">The model input, such as int64 tokens <c>[batch, context]</c>.</param>
    /// <param name="name">The objective's name.</param>
    public static Objective<TArch> PeakMemoryMiB<TModel, TArch>(TModel supernet, Tensor input, string name = "peak_memory_mib")
        where TModel : nn.Module<Tensor, Tensor>, ISupernet<TArch>
        where TArch : class, IArchitecture<TArch>
    {
        ArgumentNullException.ThrowIfNull(supernet);
        ArgumentNullException.ThrowIfNull(input);
        return new Objective<TArch>(name, ObjectiveDirection.Minimize, a =>
        {
            lock (supernet)
            {
                using var model = supernet.Extract(a);
                model.eval();
                using var noGrad = no_grad();
                // One forward first, so one-time allocations (thread pools, kernels' caches) are not counted.
                using (NewDisposeScope())
                    model.forward(input);
                var weights = model.parameters().Sum(p => p.numel() * p.element_size());
                var activations = Search.PeakMemory.Measure(() =>
                {
                    using var scope = NewDisposeScope();
                    model.forward(input);
                });
                const double MiB = 1024 * 1024;
                return new Measurement((weights + activations) / MiB, new Dictionary<string, double>
                {
                    [$"{name}_weights"] = weights / MiB,
                    [$"{name}_activations"] = activations / MiB,
                });
            }
        });
    }

    private static Func<TArch, SupernetEvaluation> Evaluator<TModel, TArch>(TModel supernet, int[] validationTokens, int batchSize, int context, int maxBatches)
        where TModel : nn.Module<Tensor, Tensor>, ISupernet<TArch>
        where TArch : class, IArchitecture<TArch>
    {
        ArgumentNullException.ThrowIfNull(supernet);
        ArgumentNullException.ThrowIfNull(validationTokens);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(context, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatches, 1);
        if (validationTokens.Length <= context)
            throw new ArgumentException($"The validation set has {validationTokens.Length} tokens; it needs more than the context ({context}).", nameof(validationTokens));
        var device = supernet.parameters().FirstOrDefault()?.device ?? CPU;
        return a =>
        {
            lock (supernet)
                return SupernetEvaluator.Evaluate<TModel, TArch>(supernet, a, TokenBatches.Sequential(validationTokens, batchSize, context, maxBatches, device));
        };
    }
}
