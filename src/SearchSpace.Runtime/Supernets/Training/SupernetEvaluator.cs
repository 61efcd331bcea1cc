using TorchSharp;
using static TorchSharp.torch;

namespace SearchSpaceDsl.Supernets.Training;

/// <summary>Measures the validation quality of a supernet's sub-networks (used by the trainer and by search objectives).</summary>
public static class SupernetEvaluator
{
    /// <summary>
    /// The mean next-token cross-entropy of <paramref name="architecture"/> over every target token of
    /// <paramref name="batches"/>, in eval mode without gradient; the perplexity is <c>exp</c> of it. The architecture
    /// that was active and the train/eval mode are restored afterwards, also when it throws.
    /// </summary>
    /// <param name="model">The supernet: int64 tokens <c>[B, T]</c> to logits <c>[B, T, vocab]</c>.</param>
    /// <param name="architecture">The sub-network to evaluate.</param>
    /// <param name="batches">Int64 inputs and targets <c>[B, T]</c>; enumerated once, each batch inside its own dispose scope.</param>
    /// <exception cref="ArgumentException">There is no batch, or a batch is not two int64 tensors of one 2-D shape; or the architecture does not fit the supernet.</exception>
    public static SupernetEvaluation Evaluate<TModel, TArch>(TModel model, TArch architecture, IEnumerable<(Tensor Inputs, Tensor Targets)> batches)
        where TModel : nn.Module<Tensor, Tensor>, ISupernet<TArch>
        where TArch : class, IArchitecture<TArch>
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(architecture);
        ArgumentNullException.ThrowIfNull(batches);
        var previous = model.Active;
        var wasTraining = model.training;
        double totalLoss = 0;
        long tokens = 0;
        try
        {
            model.eval();
            model.Activate(architecture);
            using var noGrad = no_grad();
            using var enumerator = batches.GetEnumerator();
            while (true)
            {
                using var scope = NewDisposeScope();
                if (!enumerator.MoveNext())
                    break;
                var (inputs, targets) = enumerator.Current;
                SupernetTrainer<TModel, TArch>.CheckBatch(inputs, targets, nameof(batches));
                var logits = model.forward(inputs);
                var vocab = logits.size(-1);
                var sum = nn.functional.cross_entropy(logits.reshape(-1, vocab), targets.reshape(-1), reduction: nn.Reduction.Sum);
                totalLoss += sum.ToDouble();
                tokens += targets.numel();
            }
        }
        finally
        {
            model.Activate(previous);
            model.train(wasTraining);
        }
        if (tokens == 0)
            throw new ArgumentException("There is no batch to evaluate.", nameof(batches));
        return new SupernetEvaluation(totalLoss / tokens, tokens);
    }
}
